// The hashed forms a destination may receive instead of personal data: SHA-256 of the normalised value, the
// form ad platforms match on (e-mail trimmed and lower-cased; phone as digits with its leading +), or salted
// with the data dir's own salt (pseudonymisation: stable inside this Loupe, useless to match elsewhere).

import { createHash, createHmac } from 'node:crypto'

/** `Ada Lovelace <ada@example.com>`: the address in angle brackets at the end. */
export const DISPLAY_NAME_EMAIL = /<([^<>\s@]+@[^<>\s@]+)>$/

export function normalise(matcher: string, value: string): string {
  const trimmed = value.trim()
  // `Ada Lovelace <ada@example.com>`: the address is what platforms match on.
  if (matcher === 'email') return (DISPLAY_NAME_EMAIL.exec(trimmed)?.[1] ?? trimmed).toLowerCase()
  // E.164 is + and digits; without a country code in the value none can be added here, so the digits stay as sent.
  if (matcher === 'phone') return (trimmed.startsWith('+') ? '+' : '') + trimmed.replace(/\D/g, '')
  // A card number hashes the same however it was grouped.
  if (matcher === 'credit_card' || matcher === 'iban') return trimmed.replace(/[\s-]/g, '').toUpperCase()
  return trimmed
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex')
}

export const plainHash = (matcher: string, value: string): string => sha256(normalise(matcher, value))

/**
 * How suppressions and deletion records keep an id: an HMAC-SHA-256 keyed with the data dir's salt. A plain
 * hash of an e-mail or a number is reversed by guessing; this one only by whoever holds the salt.
 */
export const idHash = (salt: string, id: string): string => createHmac('sha256', salt).update(id).digest('hex')
export const saltedHash = (salt: string, matcher: string, value: string): string => sha256(`${salt}:${normalise(matcher, value)}`)
