// An event as one NDJSON line built straight from the stored payload text, for destinations that write lines
// (the archive): parsing ~560 bytes per event and serializing them again was a third of the archive's
// main-thread time. The stored payload is exactly the text the client sent, which JSON.parse accepted at
// ingest; its top-level members are copied as they are, writeKey dropped and Loupe's fields put in place the
// way toOutgoingEvent does (existing keys keep their place, new ones come after, in the same order). The line
// says what JSON.stringify(toOutgoingEvent(row)) says: the same values once parsed, though not always the
// same bytes (nested values keep the client's member order, escapes and number spelling).
//
// Threat model: the payload is attacker-controlled text copied into a line of the archive; a raw line break
// would split it into two events. Only members whose text needs no tidying are copied (no control character,
// no whitespace outside strings); anything else is parsed and serialized, or the row takes the parsed path.
//
// Anything unusual answers null and the caller takes the parsed path: a payload that is not an object, a
// top-level key twice, a key that is an array index (JSON.parse moves those to the front), more than
// MAX_MEMBERS top-level keys, a raw control character in a string (not JSON), an `integrations` object that
// turns the destination off. A member whose text would not parse to what JSON.stringify writes — whitespace
// outside strings (a line must stay one line), numbers with an exponent (1e400 is written null, -1e-400 is
// -0, written 0), a leading -0, more than 15 digits, a fraction ending in 0 or below 1e-6 (which JSON.stringify
// writes differently: readers other than JavaScript's tell 1.0 from 1) — is parsed and serialized on its own, so
// numbers come out as the parsed path writes them.

import { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON, MINUS, DIGIT_0, DIGIT_9, DOT, LOWER_E, UPPER_E, isSpace, skipSpace } from '../json-text'
import type { OutgoingRow } from '../store/destinations'
import { integrationsAllow, iso } from './outgoing-event'

/** Top-level members handled here; a payload with more takes the parsed path (the duplicate check is quadratic). */
const MAX_MEMBERS = 64

/**
 * Most digits a number copied as written may have: JSON.stringify writes a double's shortest form, which for
 * more digits (12345678901234567890 → 12345678901234567000) is not what the client wrote.
 */
const MAX_NUMBER_DIGITS = 15

// Loupe's fields, in the order toOutgoingEvent sets them (an absent one is appended in this order).
const TYPE = 0
const MESSAGE_ID = 1
const TIMESTAMP = 2
const ORIGINAL_TIMESTAMP = 3
const SENT_AT = 4
const RECEIVED_AT = 5
const FIELD_NAMES = ['type', 'messageId', 'timestamp', 'originalTimestamp', 'sentAt', 'receivedAt'] as const

/** Set by scanValue: the value's text can be copied as it is. */
let copyable = true

// Reused per call (the main thread builds one line at a time).
const keys: string[] = []
const pieces: string[] = []
/** Loupe's fields as JSON text, by field (undefined: left out, as JSON.stringify leaves out undefined). */
const wanted: (string | undefined)[] = []

/**
 * The row as the line the file destination writes (without the newline), or null when it needs the parsed
 * path. `integrationNames`: the destination's names for the `integrations` rule (live delivery); null
 * ignores the rule (a replay).
 */
export function outgoingLine(row: OutgoingRow, integrationNames: readonly string[] | null): string | null {
  try {
    return build(row, integrationNames)
  } catch {
    // Text it cannot read (stored payloads are text JSON.parse accepted at ingest): the parsed path decides.
    return null
  } finally {
    keys.length = 0
    pieces.length = 0
  }
}

/**
 * The line of a row nothing in the destination's rules looks inside (DeliveryRules decides that), or null when
 * the row needs the parsed path: quarantined, or shaped by its tracking plan, or unusual text.
 */
export function rowLine(row: OutgoingRow, integrationNames: readonly string[] | null): string | null {
  if ((row.quarantine ?? 0) !== 0 || row.protocols) return null
  return outgoingLine(row, integrationNames)
}

function build(row: OutgoingRow, integrationNames: readonly string[] | null): string | null {
  const text = row.payload
  let i = skipSpace(text, 0)
  if (text.charCodeAt(i) !== OPEN_OBJECT) return null
  i = skipSpace(text, i + 1)

  wanted[TYPE] = typeJson(row.type)
  wanted[MESSAGE_ID] = undefined // made only when the payload's own text differs (it rarely does)
  wanted[TIMESTAMP] = quotedIso(row.timestamp)
  wanted[ORIGINAL_TIMESTAMP] = quotedIso(row.original_timestamp)
  wanted[SENT_AT] = quotedIso(row.sent_at)
  wanted[RECEIVED_AT] = quotedIso(row.received_at)
  const ownOriginal = wanted[ORIGINAL_TIMESTAMP] !== undefined
  /** Which of Loupe's fields the payload has (a bit each): the others are appended. */
  let present = 0
  /** Where originalTimestamp goes in `pieces` when it comes before the timestamp it falls back to. */
  let deferred = -1

  // Members copied as they are make runs of the text (usually most of it), each taken with one slice.
  let runStart = -1
  let runEnd = -1

  if (text.charCodeAt(i) !== CLOSE_OBJECT) {
    for (;;) {
      if (text.charCodeAt(i) !== QUOTE) return null
      const keyStart = i
      const keyEnd = skipString(text, i)
      if (keyEnd < 0) return null
      let key = text.slice(keyStart + 1, keyEnd - 1)
      // An escaped key ("type" spelled with \u0074) is still that key to JSON.parse.
      if (key.includes('\\')) key = JSON.parse(text.slice(keyStart, keyEnd)) as string
      // Events have a dozen top-level keys: a linear search is cheaper than hashing fresh strings into a Set.
      for (let k = 0; k < keys.length; k++) if (keys[k] === key) return null
      if (keys.push(key) > MAX_MEMBERS) return null
      // JSON.parse puts array-index keys ("0", "12") first, whatever their place in the text.
      const first = key.charCodeAt(0)
      if (first >= DIGIT_0 && first <= DIGIT_9) return null
      const colon = skipSpace(text, keyEnd)
      if (text.charCodeAt(colon) !== COLON) return null
      const valueStart = skipSpace(text, colon + 1)
      copyable = true
      const valueEnd = scanValue(text, valueStart)
      if (valueEnd < 0) return null
      /** The member's text is `"key":value` with nothing to tidy. */
      const tidy = copyable && colon === keyEnd && valueStart === colon + 1
      /** What takes the member's place when it is not copied as it is (undefined: nothing). */
      let member: string | undefined
      let keep = tidy

      const field = fieldIndex(key)
      if (field >= 0) {
        present |= 1 << field
        let want: string | undefined
        if (field === MESSAGE_ID) {
          const same = copyable && isString(text, valueStart, valueEnd, row.message_id)
          want = same ? text.slice(valueStart, valueEnd) : JSON.stringify(row.message_id)
          keep = tidy && same
        } else if (field === ORIGINAL_TIMESTAMP && !ownOriginal && !(present & (1 << TIMESTAMP))) {
          // Falls back to the payload's timestamp, which comes later: filled in at the end.
          keep = false
          flush()
          deferred = pieces.length
          pieces.push('')
        } else {
          if (field === TIMESTAMP && !ownOriginal) wanted[ORIGINAL_TIMESTAMP] = valueText(text, valueStart, valueEnd)
          want = wanted[field]
          keep = tidy && want !== undefined && want.length === valueEnd - valueStart && sameAt(text, valueStart, want)
        }
        if (want !== undefined) member = `"${FIELD_NAMES[field]}":${want}`
      } else if (key === 'writeKey') {
        // The source's write key stays home.
        keep = false
      } else {
        if (key === 'integrations' && integrationNames !== null && !isEmptyObject(text, valueStart, valueEnd)) {
          if (!integrationsAllow({ integrations: JSON.parse(text.slice(valueStart, valueEnd)) as unknown }, integrationNames)) return null
        }
        if (!keep) member = `${text.slice(keyStart, keyEnd)}:${valueText(text, valueStart, valueEnd)}`
      }

      if (keep) {
        // A run goes on only over a bare comma (whitespace between members would end up in the line).
        if (runStart >= 0 && !(runEnd + 1 === keyStart && text.charCodeAt(runEnd) === COMMA)) flush()
        if (runStart < 0) runStart = keyStart
        runEnd = valueEnd
      } else {
        flush()
        if (member !== undefined) pieces.push(member)
      }

      i = skipSpace(text, valueEnd)
      const c = text.charCodeAt(i)
      if (c === CLOSE_OBJECT) break
      if (c !== COMMA) return null
      i = skipSpace(text, i + 1)
    }
  }
  if (skipSpace(text, i + 1) !== text.length) return null
  flush()

  if (deferred >= 0 && wanted[ORIGINAL_TIMESTAMP] !== undefined) pieces[deferred] = `"originalTimestamp":${wanted[ORIGINAL_TIMESTAMP]}`
  for (let field = 0; field < FIELD_NAMES.length; field++) {
    if (present & (1 << field)) continue
    const want = field === MESSAGE_ID ? JSON.stringify(row.message_id) : wanted[field]
    if (want !== undefined) pieces.push(`"${FIELD_NAMES[field]}":${want}`)
  }

  if (deferred >= 0 && pieces[deferred] === '') pieces.splice(deferred, 1)
  // join makes one flat string (+= would make a rope, flattened again when the line is encoded).
  return `{${pieces.join(',')}}`

  function flush(): void {
    if (runStart >= 0) pieces.push(text.slice(runStart, runEnd))
    runStart = -1
  }
}

/** The value's text as JSON.stringify of its parsed value would mean it (scanValue set `copyable`). */
function valueText(text: string, start: number, end: number): string {
  return copyable ? text.slice(start, end) : JSON.stringify(JSON.parse(text.slice(start, end)))
}

/** The text between start and end is exactly JSON.stringify(id): a string spelled without escapes. */
function isString(text: string, start: number, end: number, id: string): boolean {
  return end - start === id.length + 2 && text.charCodeAt(start) === QUOTE && text.charCodeAt(end - 1) === QUOTE && sameAt(text, start + 1, id) && !id.includes('\\')
}

/** `text` holds `part` at `start` (a loop: startsWith with a position is a slow call in V8). */
function sameAt(text: string, start: number, part: string): boolean {
  if (start + part.length > text.length) return false
  for (let k = 0; k < part.length; k++) if (text.charCodeAt(start + k) !== part.charCodeAt(k)) return false
  return true
}

function isEmptyObject(text: string, start: number, end: number): boolean {
  return end === start + 2 && text.charCodeAt(start) === OPEN_OBJECT
}

let lastType = ''
let lastTypeJson = '""'

function typeJson(type: string): string {
  // Batches are mostly one type after another.
  if (type !== lastType) {
    lastType = type
    lastTypeJson = JSON.stringify(type)
  }
  return lastTypeJson
}

function quotedIso(ms: number | null): string | undefined {
  const text = iso(ms)
  // ISO dates need no escaping.
  return text === undefined ? undefined : `"${text}"`
}

function fieldIndex(key: string): number {
  switch (key) {
    case 'type':
      return TYPE
    case 'messageId':
      return MESSAGE_ID
    case 'timestamp':
      return TIMESTAMP
    case 'originalTimestamp':
      return ORIGINAL_TIMESTAMP
    case 'sentAt':
      return SENT_AT
    case 'receivedAt':
      return RECEIVED_AT
    default:
      return -1
  }
}

/**
 * From a value's first character to just after it, or -1 when the text ends first. Clears `copyable` when
 * the value's text is not what JSON.stringify of its parsed value would mean (see the top of this file).
 * One pass over the characters, strings included: a call to indexOf per string costs more than it saves on
 * the short strings events are made of.
 */
function scanValue(text: string, start: number): number {
  const n = text.length
  let depth = 0
  let digits = 0
  let fraction = false
  /** Zeros after `0.` so far (-1: not such a number). */
  let smallZeros = -1
  let previous = 0
  for (let i = start; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      for (i++; i < n; i++) {
        const s = text.charCodeAt(i)
        if (s === QUOTE) break
        if (s === BACKSLASH) i++
        // A raw control character (a line break above all) is not JSON; the parsed path says so.
        else if (s < 32) return -1
      }
      if (i >= n) return -1
      if (depth === 0) return i + 1
      previous = QUOTE
      continue
    }
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      if (++digits > MAX_NUMBER_DIGITS || (c === DIGIT_0 && previous === MINUS)) copyable = false
      // Below 1e-6 JSON.stringify writes an exponent (0.0000001 → 1e-7): 0. and six zeros.
      if (smallZeros >= 0) {
        if (c === DIGIT_0) {
          if (++smallZeros >= 6) copyable = false
        } else smallZeros = -1
      }
    } else if (c === DOT && digits > 0) {
      fraction = true // digits keep counting: 1234567890.123456 has 16
      smallZeros = digits === 1 && previous === DIGIT_0 ? 0 : -1
    } else {
      smallZeros = -1
      // A fraction ending in 0 (`1.0`, `2.50`) is written without it by JSON.stringify.
      if (fraction && previous === DIGIT_0) copyable = false
      digits = 0
      fraction = false
      if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++
      else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
        if (--depth <= 0) return depth === 0 ? i + 1 : i
      } else if (c === COMMA) {
        if (depth === 0) return i
      } else if (c === UPPER_E || (c === LOWER_E && ((previous >= DIGIT_0 && previous <= DIGIT_9) || previous === DOT))) copyable = false
      else if (isSpace(c)) {
        if (depth === 0) return i
        copyable = false
      }
    }
    previous = c
  }
  if (fraction && previous === DIGIT_0) copyable = false
  return depth === 0 && n > start ? n : -1
}

/** From an opening quote to just after its closing quote, or -1 when there is none. */
function skipString(text: string, start: number): number {
  const n = text.length
  for (let i = start + 1; i < n; i++) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) return i + 1
    if (c === BACKSLASH) i++
    else if (c < 32) return -1
  }
  return -1
}
