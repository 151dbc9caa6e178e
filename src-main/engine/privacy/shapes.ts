// Value shapes for PII detection: each check takes the whole value (already trimmed by nobody: event data
// is matched as sent) and is written as plain loops and anchored, quantifier-flat regexes, because it runs on
// every string of every event at ingest and the strings are attacker-controlled.

import { isIPv6 } from 'node:net'

const D0 = 48
const D9 = 57

function isDigit(c: number): boolean {
  return c >= D0 && c <= D9
}

// ---------------------------------------------------------------------------------------------------------
// Email

// Letters of any script (RFC 6531 internationalised addresses: `josé@exämple.com`), marks, digits.
const LOCAL_PART = /^[\p{L}\p{M}\p{N}.!#$%&'*+/=?^_`{|}~-]{1,64}$/u
const DOMAIN_LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{M}\p{N}-]{0,61}[\p{L}\p{M}\p{N}])?$/u
const TLD = /^(?:\p{L}{2,63}|xn--[A-Za-z0-9-]{1,59})$/u
// `logo@2x.png` is an image name, not an address: these endings are file types, not top-level domains.
const FILE_ENDINGS = new Set(['png', 'jpg', 'jpeg', 'gif', 'svg', 'webp', 'avif', 'ico', 'bmp', 'js', 'mjs', 'css', 'map', 'json', 'html', 'htm', 'pdf', 'txt', 'woff', 'woff2', 'ttf', 'mp3', 'mp4', 'webm', 'wasm'])

/** A whole value that is one email address (RFC 5321 shape, a real-looking top-level domain). */
export function isEmail(s: string): boolean {
  if (s.length < 6 || s.length > 254) return false
  const at = s.indexOf('@')
  if (at < 1 || s.indexOf('@', at + 1) !== -1) return false
  const local = s.slice(0, at)
  if (!LOCAL_PART.test(local) || local.charCodeAt(0) === 46 || local.endsWith('.') || local.includes('..')) return false
  const labels = s.slice(at + 1).split('.')
  if (labels.length < 2) return false
  const tld = labels[labels.length - 1]!
  if (!TLD.test(tld) || FILE_ENDINGS.has(tld.toLowerCase())) return false
  for (let i = 0; i < labels.length - 1; i++) if (!DOMAIN_LABEL.test(labels[i]!)) return false
  return true
}

// Emails inside longer text: a URL's query string (`?email=ada%40example.com`), a message, a referrer. Only
// the common address characters are read around each @ (RFC 5321 allows more, but `=`, `&`, `/`, `?` end
// a word in the places addresses hide); each candidate then has to be a whole email by isEmail.
const LOCAL_CHAR = /[\p{L}\p{M}\p{N}._%+-]/u
const DOMAIN_CHAR = /[\p{L}\p{M}\p{N}.-]/u
/** The address at the end of a decoded local part: `contact ada`, `email:ada` → `ada`. */
const LOCAL_TAIL = /[\p{L}\p{M}\p{N}._+-]+$/u
/** An @ as written, URL-encoded, and URL-encoded twice (a redirect URL inside a query parameter). */
const AT_SIGNS = ['@', '%40', '%2540'] as const
/**
 * Candidates (an @ with an address character before it) looked at per value, and per message (detect.ts sets
 * the budget as each scan starts, controls.ts as it rewrites an event): no value or message makes detection loop long. A value with more is taken
 * to hold an address — flagged rather than let through unread; rewriting it for a destination replaces it whole.
 */
const MAX_CANDIDATES = 64
let candidatesLeft = Infinity

export function setEmailCandidateBudget(candidates: number): void {
  candidatesLeft = candidates
}

/** embeddedSearch's answer when it gave up before reading every candidate. */
const TOO_MANY = Symbol('too many candidates')

/** An address found inside a longer value: where it is written there (maybe percent-encoded), and decoded. */
export interface EmbeddedEmail {
  address: string
  /** The address's first and past-last character in the value as written. */
  start: number
  end: number
}

/**
 * The address an @ at `at` (written in `width` characters) joins, or false; null: nothing before it could be
 * one. `floor`: where the previous @ of this form ended — no address reaches back over an @, so the walk stops
 * there (`%40` is made of address characters: without it, each of many would re-read all those before it).
 */
function embeddedAt(s: string, at: number, width: number, floor: number): EmbeddedEmail | false | null {
  let start = at
  // 64 characters of address, up to 3 source characters each when percent-encoded.
  while (start > floor && LOCAL_CHAR.test(s[start - 1]!)) if (at - --start > 192) return false
  if (start === at) return null
  let end = at + width
  while (end < s.length && DOMAIN_CHAR.test(s[end]!)) if (++end - at > 255) return false
  // A sentence's full stop or a URL's trailing dot is not part of the domain.
  while (end > at + width && s.charCodeAt(end - 1) === 46) end--
  // `git@github.com:org/repo` is an SSH remote (a colon right after the host, then more text), and the part
  // before the @ of `https://user:password@host` a URL's login (a secret, not an address).
  if (s.charCodeAt(end) === 58 && end + 1 < s.length && s.charCodeAt(end + 1) > 32) return false
  if (start > 0 && s.charCodeAt(start - 1) === 58 && isUrlLogin(s, start - 1)) return false
  const written = s.slice(start, at)
  // Percent-encoded (once or twice): read it decoded, then keep the address at its end — what decodes to a
  // space, `=` or `:` was text before it (`q=contact%20ada%40…`, `email%3Aada%40…`).
  const local = decodedTwice(written)
  const tail = LOCAL_TAIL.exec(local)
  if (tail === null) return false
  const address = `${tail[0]}@${s.slice(at + width, end)}`
  if (!isEmail(address)) return false
  const from = local === written ? at - tail[0].length : writtenStart(s, start, at, tail[0])
  // Not found where it is written (an escape this walk does not know): the caller replaces the whole value.
  return { address, start: from, end }
}

/**
 * Percent-escapes decoded twice, leniently: an ASCII escape becomes its character, any other (a byte of UTF-8
 * or Latin-1) a space, and a `%` that is no escape stays — so `50%25 off`, `Jos%E9` or `100%` before an
 * address do not hide it (decodeURIComponent would throw on the whole value).
 */
function decodedTwice(text: string): string {
  let decoded = text
  for (let round = 0; round < 2 && decoded.includes('%'); round++) decoded = decoded.replace(ESCAPE, decodeEscape)
  return decoded
}

const ESCAPE = /%([0-9A-Fa-f]{2})/g
function decodeEscape(_escape: string, hex: string): string {
  const code = parseInt(hex, 16)
  return code < 0x80 ? String.fromCharCode(code) : ' '
}

/**
 * Where the written form of a decoded local part begins, or -1: one step back per character of it — `%25XX`
 * (encoded twice), `%XX` or a plain character (an escape decodes to ASCII or to a space: decodedTwice) — then one
 * decode to confirm.
 */
function writtenStart(s: string, from: number, at: number, local: string): number {
  let k = at
  for (let n = 0; n < local.length && k > from; n++) {
    if (k - 5 >= from && s.charCodeAt(k - 5) === 37 && s.charCodeAt(k - 4) === 50 && s.charCodeAt(k - 3) === 53 && isHex(s.charCodeAt(k - 2)) && isHex(s.charCodeAt(k - 1))) k -= 5
    else if (k - 3 >= from && s.charCodeAt(k - 3) === 37 && isHex(s.charCodeAt(k - 2)) && isHex(s.charCodeAt(k - 1))) k -= 3
    else k--
  }
  return decodedTwice(s.slice(k, at)) === local ? k : -1
}

function isHex(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 70) || (c >= 97 && c <= 102)
}

/**
 * The colon at `colon` separates a user and a password in a URL: right after `//` comes the user, in userinfo
 * characters only (no space, `/`, `?`, `#` or `@`). Looks back at most 256 characters: a value with many
 * candidates costs no scan of its whole length per candidate.
 */
function isUrlLogin(s: string, colon: number): boolean {
  for (let i = colon - 1; i >= 1 && i >= colon - 256; i--) {
    const c = s.charCodeAt(i)
    if (c === 47 /* / */) return s.charCodeAt(i - 1) === 47
    if (c <= 32 || c === 63 /* ? */ || c === 35 /* # */ || c === 64 /* @ */) return false
  }
  return false
}

// Most strings have neither `@` nor `%`: two scans settle them (`%2540` contains no `%40`, hence its own check).
const mightHoldEmail = (s: string): boolean => s.length >= 7 && (s.indexOf('@') !== -1 || (s.indexOf('%') !== -1 && (s.indexOf('%40') !== -1 || s.indexOf('%2540') !== -1)))

/** The first email address inside a longer value (literal `@`, or URL-encoded once or twice), decoded; null when none. */
export function embeddedEmail(s: string): string | null {
  const found = embeddedSearch(s)
  return found === TOO_MANY ? null : found
}

function embeddedSearch(s: string): string | null | typeof TOO_MANY {
  if (!mightHoldEmail(s)) return null
  let candidates = 0
  for (const sign of AT_SIGNS) {
    let floor = 0
    for (let at = s.indexOf(sign); at !== -1; floor = at + sign.length, at = s.indexOf(sign, floor)) {
      if (candidates >= MAX_CANDIDATES || candidatesLeft <= 0) return TOO_MANY
      const found = embeddedAt(s, at, sign.length, floor)
      if (found === null) continue
      if (found !== false) return found.address
      candidates++
      candidatesLeft--
    }
  }
  return null
}

/** Candidates looked at when rewriting a value for a destination: past this, the whole value is replaced. */
const MAX_REWRITE_CANDIDATES = 64

/**
 * Every address inside a value, in order, for replacing them in what a destination receives. Null when the
 * value has more candidates than are looked at (an address could hide past them: the caller replaces it all).
 */
export function embeddedEmails(s: string): EmbeddedEmail[] | null {
  if (!mightHoldEmail(s)) return []
  const found: EmbeddedEmail[] = []
  let candidates = 0
  for (const sign of AT_SIGNS) {
    let floor = 0
    for (let at = s.indexOf(sign); at !== -1; floor = at + sign.length, at = s.indexOf(sign, floor)) {
      const one = embeddedAt(s, at, sign.length, floor)
      if (one === null) continue
      // Per value, and per event (the budget controls.ts sets while it rewrites one).
      if (++candidates > MAX_REWRITE_CANDIDATES || --candidatesLeft < 0) return null
      if (one !== false) {
        if (one.start < 0) return null
        found.push(one)
      }
    }
  }
  return found.sort((a, b) => a.start - b.start)
}

/**
 * The value with each address inside it replaced (`a@b.c@d.e` shares characters between two candidates: one
 * stretch covering both is replaced, by the first's replacement). Null when the addresses cannot all be found.
 */
export function replaceEmbeddedEmails(s: string, replacement: (address: string) => string): string | null {
  const found = embeddedEmails(s)
  if (found === null || found.length === 0) return null
  let out = ''
  let written = 0
  for (let i = 0; i < found.length; ) {
    const first = found[i]!
    let end = first.end
    while (++i < found.length && found[i]!.start < end) end = Math.max(end, found[i]!.end)
    out += s.slice(written, first.start) + replacement(first.address)
    written = end
  }
  return out + s.slice(written)
}

/** A value that is not one email but has an email inside it. */
export function containsEmail(s: string): boolean {
  const found = embeddedSearch(s)
  return found === TOO_MANY || (found !== null && !isEmail(s))
}

// ---------------------------------------------------------------------------------------------------------
// Phone

/**
 * Counts a phone-looking value's digits: only digits, spaces, `-`, `.`, `(`, `)` and one leading `+`, with
 * an optional extension (`x12`, `ext. 12`); returns -1 for anything else.
 */
function phoneDigits(s: string): number {
  let digits = 0
  let dots = 0
  let end = s.length
  const ext = s.search(/\s*(?:x|ext\.?|#)\s*\d{1,6}$/i)
  if (ext > 0) end = ext
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i)
    if (isDigit(c)) digits++
    else if (c === 43 /* + */) {
      if (i !== 0) return -1
    } else if (c === 46 /* . */) dots++
    else if (c !== 32 && c !== 45 && c !== 40 && c !== 41) return -1
  }
  // One dot is a decimal (`+1234567.89`), not a separator.
  if (dots === 1) return -1
  return digits
}

const ISO_DATE_PREFIX = /^\+?\d{4,6}-\d\d-\d\d/

/** An international number as sent by value alone: a leading `+`, 8 to 15 digits (E.164). */
export function isInternationalPhone(s: string): boolean {
  if (s.length < 9 || s.length > 32 || s.charCodeAt(0) !== 43) return false
  let first = 1
  while (first < s.length && (s.charCodeAt(first) === 32 || s.charCodeAt(first) === 40)) first++
  const c = s.charCodeAt(first)
  if (!(c >= 49 && c <= D9)) return false
  const digits = phoneDigits(s)
  return digits >= 8 && digits <= 15 && !ISO_DATE_PREFIX.test(s)
}

/** A phone number under a phone-named field: national formats too, 7 to 15 digits. */
export function isPhoneLike(v: string | number): boolean {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 1_000_000 && v < 1e15
  if (v.length < 7 || v.length > 40) return false
  const digits = phoneDigits(v)
  return digits >= 7 && digits <= 15 && !ISO_DATE_PREFIX.test(v)
}

// ---------------------------------------------------------------------------------------------------------
// Payment cards

/** Digits of a card-number-shaped value: all digits, or groups split by one kind of separator. */
function cardDigits(s: string): string | null {
  if (s.length < 12 || s.length > 23) return null
  let sep = 0
  let digits = ''
  let group = 0
  const groups: number[] = []
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (isDigit(c)) {
      digits += s[i]
      group++
    } else if (c === 32 || c === 45) {
      if (sep === 0) sep = c
      else if (sep !== c) return null
      if (group === 0) return null
      groups.push(group)
      group = 0
    } else return null
  }
  if (group === 0) return null
  groups.push(group)
  // Grouped numbers are printed as 4-4-4-4(-3), or 4-6-5 / 4-6-4 (Amex, Diners): anything else is a code.
  if (groups.length > 1) {
    const shape = groups.join(',')
    if (!/^4,4,4,4(?:,[1-4])?$|^4,6,[45]$|^4,4,4,[1-3]$/.test(shape)) return null
  }
  return digits
}

export function luhn(digits: string): boolean {
  let sum = 0
  let double = false
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - D0
    if (double) {
      d *= 2
      if (d > 9) d -= 9
    }
    sum += d
    double = !double
  }
  return sum % 10 === 0
}

/**
 * Issuer prefixes (IIN ranges) with the lengths their cards are issued in. Visa's 13-digit cards are no
 * longer issued, and leaving them out keeps EAN-13 barcodes starting with 4 from looking like cards.
 */
function knownIssuer(d: string): boolean {
  const n = d.length
  const p2 = Number(d.slice(0, 2))
  const p3 = Number(d.slice(0, 3))
  const p4 = Number(d.slice(0, 4))
  const p6 = Number(d.slice(0, 6))
  if (d[0] === '4') return n === 16 || n === 19 // Visa
  if (p2 >= 51 && p2 <= 55) return n === 16 // Mastercard
  if (p4 >= 2221 && p4 <= 2720) return n === 16 // Mastercard 2-series
  if (p2 === 34 || p2 === 37) return n === 15 // American Express
  if (p4 === 6011 || (p3 >= 644 && p3 <= 649) || p2 === 65 || (p6 >= 622126 && p6 <= 622925)) return n >= 16 && n <= 19 // Discover
  if ((p3 >= 300 && p3 <= 305) || p2 === 36 || p2 === 38 || p2 === 39) return n >= 14 && n <= 19 // Diners Club
  if (p4 >= 3528 && p4 <= 3589) return n >= 16 && n <= 19 // JCB
  if (p2 === 62) return n >= 16 && n <= 19 // UnionPay
  if (p4 >= 2200 && p4 <= 2204) return n >= 16 && n <= 19 // Mir
  if ([5018, 5020, 5038, 5893, 6304, 6759, 6761, 6762, 6763].includes(p4)) return n >= 12 && n <= 19 // Maestro
  return false
}

/** A card number by value alone: 13–19 digits, a known issuer prefix and length, a valid Luhn digit. */
export function isCardNumber(s: string): boolean {
  // Issuer prefixes start with 2–6.
  const c = s.charCodeAt(0)
  if (c < 50 || c > 54) return false
  const d = cardDigits(s)
  return d !== null && d.length >= 13 && d.length <= 19 && knownIssuer(d) && luhn(d) && !/^(\d)\1+$/.test(d)
}

/** A card number under a card-named field: any issuer, 12–19 digits, Luhn still required. */
export function isCardLike(v: string | number): boolean {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v > 0 ? String(v) : '') : v
  const d = cardDigits(s)
  return d !== null && d.length >= 12 && d.length <= 19 && luhn(d) && !/^(\d)\1+$/.test(d)
}

/** A card verification code under a cvv/cvc-named field. */
export function isCardCode(v: string | number): boolean {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v >= 0 ? String(v) : '') : v
  return /^\d{3,4}$/.test(s)
}

// ---------------------------------------------------------------------------------------------------------
// IBAN

// IBAN length per country (ISO 13616 registry).
const IBAN_LENGTHS: Record<string, number> = {
  AD: 24, AE: 23, AL: 28, AT: 20, AZ: 28, BA: 20, BE: 16, BG: 22, BH: 22, BI: 27, BR: 29, BY: 28, CH: 21, CR: 22,
  CY: 28, CZ: 24, DE: 22, DJ: 27, DK: 18, DO: 28, EE: 20, EG: 29, ES: 24, FI: 18, FK: 18, FO: 18, FR: 27, GB: 22,
  GE: 22, GI: 23, GL: 18, GR: 27, GT: 28, HR: 21, HU: 28, IE: 22, IL: 23, IQ: 23, IS: 26, IT: 27, JO: 30, KW: 30,
  KZ: 20, LB: 28, LC: 32, LI: 21, LT: 20, LU: 20, LV: 21, LY: 25, MC: 27, MD: 24, ME: 22, MK: 19, MN: 20, MR: 27,
  MT: 31, MU: 30, NI: 28, NL: 18, NO: 15, OM: 23, PK: 24, PL: 28, PS: 29, PT: 25, QA: 29, RO: 24, RS: 22, RU: 33,
  SA: 24, SC: 31, SD: 18, SE: 24, SI: 19, SK: 24, SM: 27, SO: 23, ST: 25, SV: 28, TL: 23, TN: 24, TR: 26, UA: 29,
  VA: 22, VG: 24, XK: 20, YE: 30
}

function mod97(s: string): number {
  // Letters count as two digits (A = 10 … Z = 35); the remainder is carried chunk by chunk.
  let r = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 65) r = (r * 100 + (c - 55)) % 97
    else r = (r * 10 + (c - D0)) % 97
  }
  return r
}

/** An IBAN: a known country, its exact length, the mod-97 check; printed compact or in groups of four. */
export function isIban(s: string): boolean {
  if (s.length < 15 || s.length > 42) return false
  const c0 = s.charCodeAt(0) | 32
  const c1 = s.charCodeAt(1) | 32
  if (c0 < 97 || c0 > 122 || c1 < 97 || c1 > 122 || !isDigit(s.charCodeAt(2)) || !isDigit(s.charCodeAt(3))) return false
  let compact = s
  if (s.includes(' ')) {
    const groups = s.split(' ')
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!.length
      if (i < groups.length - 1 ? g !== 4 : g < 1 || g > 4) return false
    }
    compact = groups.join('')
  }
  compact = compact.toUpperCase()
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(compact)) return false
  if (IBAN_LENGTHS[compact.slice(0, 2)] !== compact.length) return false
  return mod97(compact.slice(4) + compact.slice(0, 4)) === 1
}

/** A bank account number under an iban/bank-account-named field: letters and digits, 8–34 of them. */
export function isAccountLike(v: string | number): boolean {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v > 0 ? String(v) : '') : v.replace(/[ -]/g, '')
  return /^[A-Za-z0-9]{8,34}$/.test(s) && /\d/.test(s)
}

// ---------------------------------------------------------------------------------------------------------
// US Social Security numbers

// Numbers published as examples (the Woolworth wallet card, a 1950s advertisement) are not anyone's.
const PUBLIC_SSNS = new Set(['078051120', '219099999'])

function validSsnDigits(area: string, group: string, serial: string): boolean {
  const a = Number(area)
  return a !== 0 && a !== 666 && a < 900 && group !== '00' && serial !== '0000' && !PUBLIC_SSNS.has(area + group + serial)
}

/** AAA-GG-SSSS by value alone: dashes required (nine bare digits are too often something else). */
export function isSsn(s: string): boolean {
  if (s.length !== 11 || s.charCodeAt(3) !== 45 || s.charCodeAt(6) !== 45) return false
  const m = /^(\d{3})-(\d{2})-(\d{4})$/.exec(s)
  return m !== null && validSsnDigits(m[1]!, m[2]!, m[3]!)
}

/** Under an ssn-named field: nine digits, bare or split by dashes or spaces. */
export function isSsnLike(v: string | number): boolean {
  const s = typeof v === 'number' ? (Number.isSafeInteger(v) && v > 0 ? String(v).padStart(9, '0') : '') : v
  const m = /^(\d{3})[- ]?(\d{2})[- ]?(\d{4})$/.exec(s)
  return m !== null && validSsnDigits(m[1]!, m[2]!, m[3]!)
}

// ---------------------------------------------------------------------------------------------------------
// IP addresses

/** IPv4 dotted-quad: four octets 0–255 without leading zeros (what node's isIPv4 accepts, without a regex). */
function isDottedQuad(s: string): boolean {
  let octets = 0
  let value = 0
  let digits = 0
  for (let i = 0; i <= s.length; i++) {
    const c = i < s.length ? s.charCodeAt(i) : 46
    if (isDigit(c)) {
      if (digits === 1 && value === 0) return false
      value = value * 10 + (c - D0)
      if (++digits > 3 || value > 255) return false
    } else if (c === 46) {
      if (digits === 0 || ++octets > 4) return false
      value = 0
      digits = 0
    } else return false
  }
  return octets === 4
}

/**
 * A routable-looking IPv4 or IPv6 address. Addresses that identify no one are left out: unspecified
 * (0.0.0.0, ::), loopback (127/8, ::1) and broadcast.
 */
export function isIpAddress(s: string): boolean {
  const n = s.length
  if (n < 3 || n > 45) return false
  const c = s.charCodeAt(0)
  if (isDigit(c) && n <= 15 && isDottedQuad(s)) return !s.startsWith('127.') && s !== '0.0.0.0' && s !== '255.255.255.255'
  if (s.indexOf(':') === -1 || !/^[0-9A-Fa-f:.]+$/.test(s) || !/\d/.test(s)) return false
  if (!isIPv6(s)) return false
  const lower = s.toLowerCase()
  return lower !== '::' && lower !== '::1' && !lower.startsWith('::ffff:127.')
}

// ---------------------------------------------------------------------------------------------------------
// Tokens and keys

const BASE64URL = /^[A-Za-z0-9_-]+$/

/** A JSON Web Token (JWS, three parts) or JWE (five): base64url parts, a JSON header naming an `alg`. */
export function isJwt(s: string): boolean {
  if (s.length < 20 || s.charCodeAt(0) !== 101 || !s.startsWith('eyJ')) return false
  const parts = s.split('.')
  if (parts.length !== 3 && parts.length !== 5) return false
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    if (p.length === 0 ? i !== 2 || parts.length !== 3 : !BASE64URL.test(p)) return false
  }
  if (!parts[1]!.startsWith('eyJ') && parts.length === 3) return false
  try {
    const header: unknown = JSON.parse(Buffer.from(parts[0]!, 'base64url').toString('utf8'))
    return typeof header === 'object' && header !== null && typeof (header as { alg?: unknown }).alg === 'string'
  } catch {
    return false
  }
}

const BEARER = /^Bearer +[A-Za-z0-9._~+/-]{16,}=*$/i
const BASIC = /^Basic +([A-Za-z0-9+/]{8,}={0,2})$/i

/** An HTTP Authorization value: `Bearer <token>` (16+ token characters) or `Basic <base64 of user:pass>`. */
export function isAuthorizationValue(s: string): boolean {
  const c = s.charCodeAt(0) | 32
  if (s.length < 14) return false
  if (c === 98 /* b */) {
    if (BEARER.test(s)) return true
    // Real credentials are padded base64 of printable `user:password`; `Basic Membership` is not.
    const m = BASIC.exec(s)
    if (m === null || m[1]!.length % 4 !== 0) return false
    const decoded = Buffer.from(m[1]!, 'base64').toString('latin1')
    return decoded.indexOf(':') > 0 && /^[\x20-\x7e]+$/.test(decoded)
  }
  return false
}

/** An AWS access key id: AKIA (long-term) or ASIA (temporary) and 16 base-32 characters. */
export function isAwsAccessKeyId(s: string): boolean {
  return s.length === 20 && s.charCodeAt(0) === 65 && /^A(?:KI|SI)A[A-Z2-7]{16}$/.test(s)
}

// Secrets whose vendors give them a recognisable prefix. Publishable keys (Stripe `pk_`) are public by
// design and left out.
const PREFIXED_SECRET = /^(?:(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}|gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,}|xox[abposr]-[A-Za-z0-9-]{10,}|glpat-[A-Za-z0-9_-]{20,}|-----BEGIN [A-Z ]*PRIVATE KEY-----)/

/** A secret recognisable by value alone (Stripe, GitHub, Slack, GitLab tokens; PEM private keys). */
export function isPrefixedSecret(s: string): boolean {
  if (s.length < 20) return false
  const c = s.charCodeAt(0)
  // s, r, g, x, -
  if (c !== 115 && c !== 114 && c !== 103 && c !== 120 && c !== 45) return false
  return PREFIXED_SECRET.test(s)
}
