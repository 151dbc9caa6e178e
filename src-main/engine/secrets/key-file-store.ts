// The headless secret store: a random 256-bit key in `<dataDir>/secret.key` (0600, in the 0700 data dir)
// and AES-256-GCM with a fresh IV per secret. GCM authenticates, so an altered value or another key is
// detected, not decrypted into garbage. The key protects secrets in settings exports, backups of the
// database alone and support bundles; anyone who can read the data dir can read them, as with the token.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chmod, mkdir, open, readFile, unlink } from 'node:fs/promises'
import { join } from 'node:path'
import { parseSealed, SecretError, sealedString, type SecretStore } from './secret-store'

export const SECRET_KEY_FILE = 'secret.key'

const KEY_BYTES = 32
const IV_BYTES = 12
const TAG_BYTES = 16
/** Binds a ciphertext to this format: a payload lifted from elsewhere does not open as a secret. */
const AAD = Buffer.from('loupe-secret:v1:k')

export class KeyFileSecretStore implements SecretStore {
  readonly keyPath: string
  private key: Promise<Buffer> | null = null

  constructor(readonly dataDir: string) {
    this.keyPath = join(dataDir, SECRET_KEY_FILE)
  }

  async seal(plain: string): Promise<string> {
    const key = await this.loadKey(true)
    const iv = randomBytes(IV_BYTES)
    const cipher = createCipheriv('aes-256-gcm', key, iv).setAAD(AAD)
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
    return sealedString('k', Buffer.concat([iv, cipher.getAuthTag(), body]))
  }

  async open(sealed: string): Promise<string> {
    const { scheme, payload } = parseSealed(sealed)
    if (scheme !== 'k') throw new SecretError('cannot open a secret sealed by the desktop app’s system keychain here; open Loupe’s desktop app, or enter the secret again')
    if (payload.length < IV_BYTES + TAG_BYTES) throw new SecretError('cannot open a secret: the sealed value is truncated')
    const key = await this.loadKey(false)
    const decipher = createDecipheriv('aes-256-gcm', key, payload.subarray(0, IV_BYTES)).setAAD(AAD)
    decipher.setAuthTag(payload.subarray(IV_BYTES, IV_BYTES + TAG_BYTES))
    try {
      return Buffer.concat([decipher.update(payload.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]).toString('utf8')
    } catch {
      throw new SecretError(`cannot open a secret: it was sealed with another key than ${this.keyPath}, or altered; enter the secret again`)
    }
  }

  /** The key, read once; created only for sealing (a missing key when opening means the secrets are lost). */
  private loadKey(create: boolean): Promise<Buffer> {
    const loading = (this.key ??= this.readOrCreate(create))
    // A failure is not remembered: the user may restore the file, and a later seal may create it.
    loading.catch(() => {
      if (this.key === loading) this.key = null
    })
    return loading
  }

  private async readOrCreate(create: boolean): Promise<Buffer> {
    const existing = await this.read()
    if (existing) return existing
    if (!create) throw new SecretError(`cannot open a secret: the key file ${this.keyPath} is missing (was the data dir copied without it?); enter the secret again`)
    try {
      return await this.create()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return (await this.read())!
      if (error instanceof SecretError) throw error
      throw new SecretError(`cannot create the key file ${this.keyPath}: ${(error as Error).message}`)
    }
  }

  private async read(): Promise<Buffer | null> {
    let text: string
    try {
      text = await readFile(this.keyPath, 'utf8')
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw new SecretError(`cannot read the key file ${this.keyPath}: ${(error as Error).message}`)
    }
    const key = Buffer.from(text.trim(), 'base64url')
    if (key.length !== KEY_BYTES || !/^[A-Za-z0-9_-]+$/.test(text.trim())) {
      throw new SecretError(`the key file ${this.keyPath} is damaged (expected ${KEY_BYTES} bytes in base64url)`)
    }
    // An old or copied file may have lost its mode.
    await chmod(this.keyPath, 0o600).catch(() => undefined)
    return key
  }

  private async create(): Promise<Buffer> {
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 })
    const key = randomBytes(KEY_BYTES)
    // `wx`: never overwrite a key another start created meanwhile — that would orphan its secrets.
    const handle = await open(this.keyPath, 'wx', 0o600)
    try {
      await handle.writeFile(`${key.toString('base64url')}\n`)
      // Secrets sealed with this key are committed to the database next; the key must outlive a power cut too.
      await handle.sync()
    } catch (error) {
      // A half-written key would read as damaged forever; without it the next seal simply tries again.
      await handle.close()
      await unlink(this.keyPath).catch(() => undefined)
      throw error
    }
    await handle.close()
    const dir = await open(this.dataDir, 'r').catch(() => null)
    await dir?.sync().catch(() => undefined)
    await dir?.close()
    return key
  }
}
