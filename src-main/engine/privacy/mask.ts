// Masked samples for findings: enough to recognise the kind and spot a test value (`•••• 4242`), never
// the value itself. Only parts that do not identify a person are kept: an email's domain, a card's or phone's
// last digits, an IP's network half.

import { DISPLAY_NAME_EMAIL } from './hash'
import { embeddedEmail } from './shapes'

const MASK = '•••'

function lastChars(s: string, n: number): string {
  // By code point, so a masked emoji is not cut in half.
  return Array.from(s.slice(-2 * n)).slice(-n).join('')
}

/** `•••` plus the last two characters for values of 8+ characters; `•••` alone for shorter ones. */
function maskDefault(s: string): string {
  return s.length >= 8 ? MASK + lastChars(s, 2) : MASK
}

// Two-digit starts of the three-digit country calling codes (+353, +971 …); +1 and +7 are one digit.
const THREE_DIGIT_CC = new Set(['21', '22', '23', '24', '25', '26', '29', '35', '37', '38', '42', '50', '59', '67', '68', '69', '80', '85', '87', '88', '96', '97', '99'])

function countryCode(s: string, digits: string): string {
  const group = /^\+\s*\(?(\d{1,3})[\s\-.)]/.exec(s)
  if (group) return group[1]!
  if (digits[0] === '1' || digits[0] === '7') return digits.slice(0, 1)
  return THREE_DIGIT_CC.has(digits.slice(0, 2)) ? digits.slice(0, 3) : digits.slice(0, 2)
}

function maskPhone(s: string): string {
  const digits = s.replace(/\D/g, '')
  if (digits.length < 7) return MASK
  const tail = `•••• ••${digits.slice(-2)}`
  return s.startsWith('+') ? `+${countryCode(s, digits)} ${tail}` : tail
}

function maskEmail(whole: string): string {
  // `Name <address>`: the address alone (a name is no part of the sample).
  const s = DISPLAY_NAME_EMAIL.exec(whole)?.[1] ?? whole
  const at = s.lastIndexOf('@')
  if (at < 1) return maskDefault(s)
  const domain = s.slice(at + 1)
  return `${String.fromCodePoint(s.codePointAt(0)!)}${MASK}@${domain.length > 64 ? '…' + domain.slice(-63) : domain}`
}

function maskIp(s: string): string {
  // The first two IPv4 octets or IPv6 groups: the network, not the host.
  const sep = s.indexOf(':') === -1 ? '.' : ':'
  const second = s.indexOf(sep, s.indexOf(sep) + 1)
  if (second === -1) return MASK
  return sep === '.' ? `${s.slice(0, second)}.•.•` : `${s.slice(0, second)}:${MASK}`
}

function maskCard(s: string): string {
  const digits = s.replace(/\D/g, '')
  return digits.length >= 12 ? `•••• ${digits.slice(-4)}` : MASK
}

function maskIban(s: string): string {
  const compact = s.replace(/\s/g, '').toUpperCase()
  return /^[A-Z]{2}\d{2}[A-Z0-9]{11,}$/.test(compact) ? `${compact.slice(0, 2)}•• •••• ${compact.slice(-4)}` : maskDefault(s)
}

function maskSsn(s: string): string {
  const digits = s.replace(/\D/g, '')
  return digits.length === 9 ? `•••-••-••${digits.slice(-2)}` : MASK
}

function maskPrefixed(prefix: string, s: string): string {
  return s.length >= prefix.length + 8 && s.startsWith(prefix) ? prefix + MASK + lastChars(s, 2) : maskDefault(s)
}

/** The masked sample of a value a matcher caught (a built-in id, or a custom matcher's `custom:<slug>`). */
export function maskSample(matcher: string, value: string | number): string {
  const s = (typeof value === 'number' ? String(value) : value).trim()
  switch (matcher) {
    case 'email':
      return maskEmail(s)
    case 'email_in_text': {
      // The address found, masked like an email: the rest of the text may hold anything.
      const address = embeddedEmail(s)
      return address === null ? maskDefault(s) : maskEmail(address)
    }
    case 'phone':
      return maskPhone(s)
    case 'ip_address':
      return maskIp(s)
    case 'credit_card':
      return maskCard(s)
    case 'iban':
      return maskIban(s)
    case 'us_ssn':
      return maskSsn(s)
    case 'password':
      return MASK
    case 'jwt':
      return maskPrefixed('eyJ', s)
    case 'aws_access_key':
      return maskPrefixed(s.slice(0, 4), s)
    case 'bearer_token': {
      const scheme = /^(?:Bearer|Basic) +/i.exec(s)
      return scheme ? maskPrefixed(scheme[0], s) : maskDefault(s)
    }
    default:
      return maskDefault(s)
  }
}
