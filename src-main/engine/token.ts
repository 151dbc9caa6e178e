// The admin token: the one secret that separates Loupe's UI, CLI and test suites from everything else
// that can reach the loopback port (other local users and processes, and web pages through the browser).
// It lives in the data dir with mode 0600 and is reused across restarts so printed UI URLs stay valid.

import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto'
import { chmodSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const TOKEN_FILE = 'admin-token'

export function loadOrCreateToken(dataDir: string): string {
  const file = join(dataDir, TOKEN_FILE)
  try {
    const token = readFileSync(file, 'utf8').trim()
    if (/^[\w-]{32,}$/.test(token)) {
      chmodSync(file, 0o600)
      return token
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error
  }
  const token = randomBytes(32).toString('base64url')
  writeFileSync(file, `${token}\n`, { mode: 0o600 })
  chmodSync(file, 0o600) // an unreadable old file keeps its mode through writeFileSync
  return token
}

/**
 * The session cookie's value: derived from the token and a nonce drawn at each start, so the cookie never
 * carries the token itself and every session ends when the engine stops (the login URL makes a new one).
 */
export function sessionValue(token: string, bootNonce: string): string {
  return createHmac('sha256', token).update(`loupe-session-v2:${bootNonce}`).digest('base64url')
}

export function newBootNonce(): string {
  return randomBytes(16).toString('base64url')
}

/** Constant-time comparison of two secrets. */
export function secretsEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}
