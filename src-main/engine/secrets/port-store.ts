// The desktop app's secret store, on the engine's side: the engine runs in a utility process without
// Electron, so sealing with the OS keychain (safeStorage) is a request to the main process over the parent
// port (answered by desktop/secrets.ts). Where main has no keychain — or does not answer — secrets are
// sealed with the data dir's key file instead, and said so once in the log. Each sealed value names its
// scheme, so it is always opened by whoever sealed it.

import { parseSealed, SecretError, sealedString, type SecretStore } from './secret-store'
import { parseSecretReply, SECRET_MESSAGE, type SecretRequest } from './secret-protocol'

export interface PortSecretStoreOptions {
  /** Posts a request to main (process.parentPort.postMessage). */
  post(message: SecretRequest): void
  /** The key-file store: for secrets it sealed, and for sealing when the keychain is unavailable. */
  fallback: SecretStore
  log(message: string): void
  /** How long to wait for main's answer. */
  timeoutMs?: number
}

type Pending = { resolve(value: string): void; reject(error: SecretError & { unavailable?: boolean }): void; timer: NodeJS.Timeout }

export class PortSecretStore implements SecretStore {
  private nextId = 1
  private readonly pending = new Map<number, Pending>()
  private keychain: 'unknown' | 'available' | 'unavailable' = 'unknown'

  constructor(private readonly options: PortSecretStoreOptions) {}

  async seal(plain: string): Promise<string> {
    if (this.keychain !== 'unavailable') {
      try {
        const ciphertext = await this.request('seal', plain)
        this.keychain = 'available'
        return sealedString('os', Buffer.from(ciphertext, 'base64'))
      } catch (error) {
        if (!(error as { unavailable?: boolean }).unavailable) throw error
        this.keychain = 'unavailable'
        this.options.log(`secrets: ${(error as Error).message}; sealing with the key file in the data dir instead`)
      }
    }
    return this.options.fallback.seal(plain)
  }

  async open(sealed: string): Promise<string> {
    const { scheme, payload } = parseSealed(sealed)
    if (scheme === 'k') return this.options.fallback.open(sealed)
    return this.request('open', payload.toString('base64'))
  }

  /** Hands main's replies to their requests; true if the message was one (the host ignores it then). */
  receive(message: unknown): boolean {
    const reply = parseSecretReply(message)
    if (!reply) return false
    const waiting = this.pending.get(reply.id)
    if (!waiting) return true
    this.pending.delete(reply.id)
    clearTimeout(waiting.timer)
    if (reply.ok) waiting.resolve(reply.value)
    else waiting.reject(Object.assign(new SecretError(reply.error), { unavailable: reply.unavailable === true }))
    return true
  }

  private request(op: 'seal' | 'open', value: string): Promise<string> {
    const id = this.nextId++
    return new Promise<string>((resolve, reject) => {
      // A main process that never answers (an older build, or busy quitting) must not hang a destination save.
      const timer = setTimeout(() => {
        this.pending.delete(id)
        reject(Object.assign(new SecretError('the desktop app did not answer a secret request'), { unavailable: op === 'seal' }))
      }, this.options.timeoutMs ?? 5000)
      timer.unref()
      this.pending.set(id, { resolve, reject, timer })
      this.options.post({ type: SECRET_MESSAGE, id, op, value })
    })
  }
}
