// Main's side of the secret store: answers the engine's seal/open requests with Electron's safeStorage
// (the OS keychain: Keychain, DPAPI, libsecret/kwallet). safeStorage is injected, so this file imports no
// electron and runs in tests. Where it cannot protect anything, main says `unavailable` and the engine
// falls back to its key file: Linux's `basic_text` backend encrypts with a password built into Chromium,
// which protects less than a 0600 key file in a 0700 folder.

import { parseSecretRequest, SECRET_MESSAGE, type SecretReply, type SecretRequest } from '../engine/secrets/secret-protocol'

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean
  encryptString(plainText: string): Buffer
  decryptString(encrypted: Buffer): string
  getSelectedStorageBackend?(): string
}

/** The engine's utility process as main sees it (Electron's UtilityProcess). */
export interface SecretChannel {
  on(event: 'message', listener: (message: unknown) => void): unknown
  postMessage(message: SecretReply): void
}

export function keychainUsable(safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): boolean {
  if (!safe.isEncryptionAvailable()) return false
  return !(platform === 'linux' && safe.getSelectedStorageBackend?.() === 'basic_text')
}

/** Answers one request; never throws (a bad message must not take down main). */
export function answerSecretRequest(request: SecretRequest, safe: SafeStorageLike, platform: NodeJS.Platform = process.platform): SecretReply {
  const base = { type: SECRET_MESSAGE, id: request.id } as const
  try {
    if (!keychainUsable(safe, platform)) return { ...base, ok: false, error: 'the system keychain is not available to Loupe', unavailable: true }
    if (request.op === 'seal') return { ...base, ok: true, value: safe.encryptString(request.value).toString('base64') }
    return { ...base, ok: true, value: safe.decryptString(Buffer.from(request.value, 'base64')) }
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error)
    const what = request.op === 'seal' ? 'seal a secret with' : 'open a secret with'
    return { ...base, ok: false, error: `cannot ${what} the system keychain (${reason}); if Loupe’s keychain entry was reset, enter the secret again` }
  }
}

/** Serves the engine's secret requests for as long as its process lives. */
export function serveSecrets(child: SecretChannel, safe: SafeStorageLike, log: (message: string) => void = () => {}): void {
  let announced = false
  child.on('message', (message) => {
    const request = parseSecretRequest(message)
    if (!request) return
    const reply = answerSecretRequest(request, safe)
    if (!reply.ok && reply.unavailable && !announced) {
      announced = true
      log('secrets: no usable system keychain; the engine keeps destination secrets sealed with its key file')
    }
    child.postMessage(reply)
  })
}
