// The desktop secret store across a real message channel: the engine side (PortSecretStore, as in the
// utility process) and main's side (serveSecrets). Only Electron's safeStorage is stood in for — by a real
// AES-GCM cipher — since Electron does not run under vitest.

import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { MessageChannel, type MessagePort } from 'node:worker_threads'
import { afterEach, describe, expect, it } from 'vitest'
import { KeyFileSecretStore, SECRET_KEY_FILE } from '../engine/secrets/key-file-store'
import { PortSecretStore } from '../engine/secrets/port-store'
import { SECRET_MESSAGE } from '../engine/secrets/secret-protocol'
import { useTempDirs } from '../engine/test-temp-dirs'
import { answerSecretRequest, serveSecrets, type SafeStorageLike } from './secrets'

const tempDir = useTempDirs('loupe-desktop-secrets-')
const ports: MessagePort[] = []
afterEach(() => {
  for (const port of ports.splice(0)) port.close()
})

/** safeStorage's contract with a real cipher: what it encrypts only it decrypts. */
function keychain(options: { available?: boolean; backend?: string } = {}): SafeStorageLike & { calls: number } {
  const key = randomBytes(32)
  return {
    calls: 0,
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString(plain) {
      this.calls++
      const iv = randomBytes(12)
      const cipher = createCipheriv('aes-256-gcm', key, iv)
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()])
      return Buffer.concat([iv, cipher.getAuthTag(), body])
    },
    decryptString(data) {
      this.calls++
      const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(0, 12))
      decipher.setAuthTag(data.subarray(12, 28))
      return Buffer.concat([decipher.update(data.subarray(28)), decipher.final()]).toString('utf8')
    }
  }
}

/** An engine-side store wired to main over a MessageChannel; `serve: false` is a main that never answers. */
function connect(safe: SafeStorageLike, options: { serve?: boolean; timeoutMs?: number } = {}) {
  const dataDir = tempDir()
  const { port1: engine, port2: main } = new MessageChannel()
  ports.push(engine, main)
  const engineLog: string[] = []
  const mainLog: string[] = []
  const store = new PortSecretStore({ post: (m) => engine.postMessage(m), fallback: new KeyFileSecretStore(dataDir), log: (m) => engineLog.push(m), timeoutMs: options.timeoutMs })
  engine.on('message', (m) => store.receive(m))
  if (options.serve !== false) serveSecrets({ on: (_event, listener) => main.on('message', listener), postMessage: (m) => main.postMessage(m) }, safe, (m) => mainLog.push(m))
  return { store, dataDir, engineLog, mainLog }
}

describe('desktop secret store', () => {
  it('seals with the system keychain in main and opens through it; no key file is made', async () => {
    const safe = keychain()
    const { store, dataDir } = connect(safe)
    const sealed = await store.seal('wk_live_123')
    expect(sealed).toMatch(/^loupe-secret:v1:os:[A-Za-z0-9_-]+$/)
    expect(await store.open(sealed)).toBe('wk_live_123')
    expect(safe.calls).toBe(2)
    expect(existsSync(join(dataDir, SECRET_KEY_FILE))).toBe(false)
  })

  it('falls back to the key file when the keychain is unavailable, and says so once', async () => {
    const { store, dataDir, engineLog, mainLog } = connect(keychain({ available: false }))
    const sealed = await store.seal('fallback-secret')
    expect(sealed).toMatch(/^loupe-secret:v1:k:/)
    expect(await store.seal('second')).toMatch(/^loupe-secret:v1:k:/)
    expect(await store.open(sealed)).toBe('fallback-secret')
    expect(existsSync(join(dataDir, SECRET_KEY_FILE))).toBe(true)
    expect(engineLog).toEqual([expect.stringMatching(/keychain is not available.*key file/)])
    expect(mainLog).toHaveLength(1)
    // A keychain secret cannot be opened without the keychain: an error, not a crash.
    await expect(store.open('loupe-secret:v1:os:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(/not available/)
  })

  it('treats Linux’s basic_text backend (a password built into Chromium) as no keychain', () => {
    const request = { type: SECRET_MESSAGE, id: 1, op: 'seal', value: 'x' } as const
    expect(answerSecretRequest(request, keychain({ backend: 'basic_text' }), 'linux')).toMatchObject({ ok: false, unavailable: true })
    expect(answerSecretRequest(request, keychain({ backend: 'basic_text' }), 'darwin')).toMatchObject({ ok: true })
  })

  it('still opens key-file secrets sealed before the keychain became available', async () => {
    const safe = keychain()
    const { store, dataDir } = connect(safe)
    const old = await new KeyFileSecretStore(dataDir).seal('from headless days')
    expect(await store.open(old)).toBe('from headless days')
    expect(safe.calls).toBe(0)
  })

  it('reports a secret the keychain cannot decrypt (another keychain) clearly', async () => {
    const a = connect(keychain())
    const b = connect(keychain())
    const sealed = await a.store.seal('belongs to a')
    await expect(b.store.open(sealed)).rejects.toThrow(/cannot open a secret with the system keychain .*enter the secret again/)
  })

  it('seals with the key file when main does not answer, instead of hanging', async () => {
    const { store, engineLog } = connect(keychain(), { serve: false, timeoutMs: 50 })
    const sealed = await store.seal('no main')
    expect(sealed).toMatch(/^loupe-secret:v1:k:/)
    expect(await store.open(sealed)).toBe('no main')
    expect(engineLog[0]).toMatch(/did not answer/)
    await expect(store.open('loupe-secret:v1:os:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(/did not answer/)
  })

  it('ignores messages that are not its own on both sides', () => {
    const { store } = connect(keychain())
    expect(store.receive({ type: 'start', dataDir: '/x', port: 0 })).toBe(false)
    expect(store.receive({ type: SECRET_MESSAGE, id: 99, op: 'seal', value: 'a request, not a reply' })).toBe(false)
    expect(store.receive({ type: SECRET_MESSAGE, id: 99, ok: true, value: 'unknown id' })).toBe(true)
  })
})
