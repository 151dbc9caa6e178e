// One interface for destination credentials at rest (DESIGN.md "Secrets"): settings JSON keeps only sealed
// strings, `loupe-secret:v1:<scheme>:<payload>`, recognisable at a glance and by isSealed(). The scheme
// says who can open it: `k` the key file in the data dir (headless, or desktop without an OS keychain),
// `os` Electron's safeStorage in the desktop app's main process.

export interface SecretStore {
  seal(plain: string): Promise<string>
  open(sealed: string): Promise<string>
}

export const SEALED_PREFIX = 'loupe-secret:v1:'

export type SecretScheme = 'k' | 'os'

const SEALED = /^loupe-secret:v1:(k|os):([A-Za-z0-9_-]+)$/

/** A secret that cannot be sealed or opened; the message says why and what to do. Never includes the secret. */
export class SecretError extends Error {
  override name = 'SecretError'
}

export function isSealed(value: unknown): value is string {
  return typeof value === 'string' && SEALED.test(value)
}

export function sealedString(scheme: SecretScheme, payload: Buffer): string {
  return `${SEALED_PREFIX}${scheme}:${payload.toString('base64url')}`
}

export function parseSealed(sealed: string): { scheme: SecretScheme; payload: Buffer } {
  const match = SEALED.exec(sealed)
  if (!match) throw new SecretError('cannot open a secret: the value is not a sealed Loupe secret (loupe-secret:v1:…)')
  return { scheme: match[1] as SecretScheme, payload: Buffer.from(match[2]!, 'base64url') }
}
