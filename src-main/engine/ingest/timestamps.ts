// Segment's clock-skew correction (common-fields spec): timestamp = receivedAt − (sentAt − originalTimestamp).
// The client's own `timestamp` is kept as originalTimestamp.

export interface Timestamps {
  timestamp: number
  originalTimestamp: number | null
  sentAt: number | null
  /** Fields that were present but could not be read as a time. */
  invalid: string[]
}

export function correctTimestamps(clientTimestamp: unknown, sentAt: unknown, receivedAt: number): Timestamps {
  const invalid: string[] = []
  const original = readTime(clientTimestamp, 'timestamp', invalid)
  const sent = readTime(sentAt, 'sentAt', invalid)
  let timestamp = receivedAt
  // With both, the device's skew is (sentAt − receivedAt); without sentAt, a manual timestamp is kept as given
  // (historical import).
  if (original !== null && sent !== null) timestamp = receivedAt - (sent - original)
  else if (original !== null) timestamp = original
  if (!isTime(timestamp)) {
    invalid.push('sentAt')
    timestamp = receivedAt
  }
  return { timestamp, originalTimestamp: original, sentAt: sent, invalid }
}

function readTime(value: unknown, field: string, invalid: string[]): number | null {
  if (value === undefined || value === null || value === '') return null
  let ms = Number.NaN
  if (typeof value === 'string') ms = parseIso(value)
  // Whole milliseconds: the columns are INTEGER (a fraction would make SQLite refuse the row).
  else if (typeof value === 'number') ms = Math.round(value)
  if (!isTime(ms)) {
    invalid.push(field)
    return null
  }
  return ms
}

// Beyond ±100 million days JavaScript dates stop; anything that far out is not a time.
function isTime(ms: number): boolean {
  return Number.isFinite(ms) && Math.abs(ms) <= 8.64e15
}

// ISO-8601 only (Date.parse would also take "Jan 1 2024", and read an offset-less time in the server's
// local zone): date, optional time with up to nanoseconds, optional offset; no offset means UTC.
const ISO = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i

export function parseIso(text: string): number {
  const m = ISO.exec(text.trim())
  if (!m) return Number.NaN
  const [, date, time, fraction, zone] = m
  if (!time) return Date.parse(`${date}T00:00:00Z`)
  const millis = fraction ? `.${fraction.padEnd(3, '0').slice(0, 3)}` : ''
  const offset = !zone || zone.toUpperCase() === 'Z' ? 'Z' : zone.length === 3 ? `${zone}:00` : zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`
  return Date.parse(`${date}T${time.length === 5 ? `${time}:00` : time}${millis}${offset}`)
}
