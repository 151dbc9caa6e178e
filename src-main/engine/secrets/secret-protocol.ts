// Secret requests between the engine's utility process and the desktop app's main process, on the same
// port as the host messages (desktop/engine-protocol.ts); `type` keeps the two apart. The values are the
// plain secret (seal request, open reply) or safeStorage's ciphertext in base64 (seal reply, open request).

export const SECRET_MESSAGE = 'loupe-secret'

export interface SecretRequest {
  type: typeof SECRET_MESSAGE
  id: number
  op: 'seal' | 'open'
  value: string
}

export type SecretReply =
  | { type: typeof SECRET_MESSAGE; id: number; ok: true; value: string }
  /** `unavailable`: main has no OS keychain (safeStorage off); the engine uses its key file instead. */
  | { type: typeof SECRET_MESSAGE; id: number; ok: false; error: string; unavailable?: boolean }

export function parseSecretRequest(value: unknown): SecretRequest | null {
  if (typeof value !== 'object' || value === null) return null
  const m = value as Record<string, unknown>
  if (m.type !== SECRET_MESSAGE || !Number.isSafeInteger(m.id) || (m.op !== 'seal' && m.op !== 'open') || typeof m.value !== 'string') return null
  return { type: SECRET_MESSAGE, id: m.id as number, op: m.op, value: m.value }
}

export function parseSecretReply(value: unknown): SecretReply | null {
  if (typeof value !== 'object' || value === null) return null
  const m = value as Record<string, unknown>
  if (m.type !== SECRET_MESSAGE || !Number.isSafeInteger(m.id) || 'op' in m) return null
  if (m.ok === true && typeof m.value === 'string') return { type: SECRET_MESSAGE, id: m.id as number, ok: true, value: m.value }
  if (m.ok === false) return { type: SECRET_MESSAGE, id: m.id as number, ok: false, error: typeof m.error === 'string' ? m.error : 'the secret request failed', unavailable: m.unavailable === true }
  return null
}
