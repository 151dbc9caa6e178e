// The headless secret store on a real temp data dir, the cache, and the settings helpers.

import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { useTempDirs } from '../test-temp-dirs'
import { KeyFileSecretStore, SECRET_KEY_FILE } from './key-file-store'
import { SecretCache } from './secret-cache'
import { isSealed, SecretError } from './secret-store'
import { openSettingsSecrets, sealedValues, sealSettingsSecrets } from './settings-secrets'

const tempDir = useTempDirs('loupe-secrets-')

/** Flips one bit of the sealed payload's byte at `index` (0–11 IV, 12–27 tag, then ciphertext). */
function tamper(sealed: string, index: number): string {
  const prefix = sealed.slice(0, sealed.lastIndexOf(':') + 1)
  const payload = Buffer.from(sealed.slice(prefix.length), 'base64url')
  payload[index]! ^= 0x01
  return prefix + payload.toString('base64url')
}

describe('key-file secret store', () => {
  it('seals to a recognisable string and opens it again', async () => {
    const store = new KeyFileSecretStore(tempDir())
    for (const plain of ['shh-very-secret', '', 'ünïcødé 🔑', 'x'.repeat(10_000)]) {
      const sealed = await store.seal(plain)
      expect(sealed).toMatch(/^loupe-secret:v1:k:[A-Za-z0-9_-]+$/)
      expect(isSealed(sealed)).toBe(true)
      expect(sealed).not.toContain(plain || 'never')
      expect(await store.open(sealed)).toBe(plain)
    }
    // A fresh IV each time: the same secret never seals to the same string.
    expect(await store.seal('same')).not.toBe(await store.seal('same'))
  })

  it('creates the key file 0600 on first seal and reuses it across instances', async () => {
    const dir = tempDir()
    const first = new KeyFileSecretStore(dir)
    expect(existsSync(join(dir, SECRET_KEY_FILE))).toBe(false)
    const sealed = await first.seal('api-key-123')
    const keyFile = join(dir, SECRET_KEY_FILE)
    expect(statSync(keyFile).mode & 0o777).toBe(0o600)
    const key = readFileSync(keyFile, 'utf8')

    const second = new KeyFileSecretStore(dir)
    expect(await second.open(sealed)).toBe('api-key-123')
    expect(await first.open(await second.seal('other'))).toBe('other')
    expect(readFileSync(keyFile, 'utf8')).toBe(key)
  })

  it('detects tampering with the IV, the tag or the ciphertext', async () => {
    const store = new KeyFileSecretStore(tempDir())
    const sealed = await store.seal('do not change me')
    for (const index of [0, 11, 12, 27, 28, 40]) {
      await expect(store.open(tamper(sealed, index))).rejects.toThrow(/sealed with another key .* or altered/)
    }
    await expect(store.open(sealed.slice(0, 30))).rejects.toBeInstanceOf(SecretError)
    await expect(store.open('loupe-secret:v1:k:AAAA')).rejects.toThrow(/truncated/)
    await expect(store.open('plain text')).rejects.toThrow(/not a sealed Loupe secret/)
  })

  it('says clearly when the key is another one, missing or damaged — and does not create one to open', async () => {
    const a = tempDir()
    const b = tempDir()
    const sealed = await new KeyFileSecretStore(a).seal('mine')
    await new KeyFileSecretStore(b).seal('creates b’s key')
    await expect(new KeyFileSecretStore(b).open(sealed)).rejects.toThrow(new RegExp(`sealed with another key than ${join(b, SECRET_KEY_FILE)}`))

    const empty = tempDir()
    await expect(new KeyFileSecretStore(empty).open(sealed)).rejects.toThrow(/key file .* is missing/)
    expect(existsSync(join(empty, SECRET_KEY_FILE))).toBe(false)

    writeFileSync(join(a, SECRET_KEY_FILE), 'too-short\n')
    await expect(new KeyFileSecretStore(a).open(sealed)).rejects.toThrow(/is damaged/)
    await expect(new KeyFileSecretStore(a).seal('x')).rejects.toThrow(/is damaged/)

    // Restoring the key makes the same store instance work again (failures are not cached).
    const store = new KeyFileSecretStore(a)
    rmSync(join(a, SECRET_KEY_FILE))
    await expect(store.open(sealed)).rejects.toThrow(/missing/)
    const resealed = await store.seal('new')
    expect(await store.open(resealed)).toBe('new')
  })

  it('opens a desktop-sealed (keychain) secret only with a clear error', async () => {
    const store = new KeyFileSecretStore(tempDir())
    await expect(store.open('loupe-secret:v1:os:AAAAAAAA')).rejects.toThrow(/system keychain/)
  })
})

describe('secret cache', () => {
  it('reveals loaded and remembered secrets synchronously; a failed one throws its reason', async () => {
    const store = new KeyFileSecretStore(tempDir())
    const cache = new SecretCache(store)
    const a = await store.seal('alpha')
    const b = await store.seal('beta')
    expect(() => cache.reveal(a)).toThrow(/before it was opened/)
    const broken = tamper(a, 30)
    await cache.load([a, broken, 'not sealed'])
    expect(cache.reveal(a)).toBe('alpha')
    expect(() => cache.reveal(broken)).toThrow(/altered/)
    expect(cache.reveal('not sealed')).toBe('not sealed')
    cache.remember(b, 'beta')
    expect(cache.reveal(b)).toBe('beta')
    cache.retain([b])
    expect(() => cache.reveal(a)).toThrow(SecretError)
  })
})

describe('settings secrets', () => {
  it('seals and opens only the strings at the given paths, leaving the input alone', async () => {
    const store = new KeyFileSecretStore(tempDir())
    const cache = new SecretCache(store)
    const settings = {
      url: 'https://example.com/hook',
      signingSecret: 'sign-me',
      headers: { Authorization: 'Bearer t0k', 'X-Other': 'o' },
      settings: { apiKey: 'k-1', region: 'eu', nested: { list: ['a', 'b'] } },
      batchSize: 10
    }
    const paths = [['signingSecret'], ['headers', '*'], ['settings', 'apiKey'], ['settings', 'missing'], ['batchSize'], ['nope', 'deeper']]
    const sealed = await sealSettingsSecrets(settings, paths, store, cache)

    expect(settings.signingSecret).toBe('sign-me')
    expect(settings.headers.Authorization).toBe('Bearer t0k')
    expect(isSealed(sealed.signingSecret)).toBe(true)
    expect(isSealed(sealed.headers.Authorization) && isSealed(sealed.headers['X-Other'])).toBe(true)
    expect(isSealed(sealed.settings.apiKey)).toBe(true)
    expect(sealed).toMatchObject({ url: settings.url, batchSize: 10, settings: { region: 'eu' } })
    expect(sealed.settings.nested).toBe(settings.settings.nested)
    expect(sealedValues(sealed, paths)).toHaveLength(4)

    // Sealing again leaves sealed values as they are (an unchanged secret saved twice).
    const again = await sealSettingsSecrets(sealed, paths, store)
    expect(again).toEqual(sealed)

    // Opening with the cache the seal filled; then with a cold cache after load().
    expect(openSettingsSecrets(sealed, paths, cache)).toEqual(settings)
    const cold = new SecretCache(new KeyFileSecretStore(store.dataDir))
    await cold.load(sealedValues(sealed, paths))
    const opened = openSettingsSecrets(sealed, paths, cold)
    expect(opened).toEqual(settings)
    expect(isSealed(sealed.signingSecret)).toBe(true)
  })

  it('leaves empty strings, non-strings and arrays by index alone', async () => {
    const store = new KeyFileSecretStore(tempDir())
    const sealed = await sealSettingsSecrets({ secret: '', list: [{ key: 'a' }, { key: 'b' }], n: 1 }, [['secret'], ['list', '*', 'key'], ['n']], store)
    expect(sealed.secret).toBe('')
    expect(sealed.n).toBe(1)
    expect(sealed.list.every((item) => isSealed(item.key))).toBe(true)
  })
})
