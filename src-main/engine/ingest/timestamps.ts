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
  if (typeof value === 'string') ms = Date.parse(value)
  else if (typeof value === 'number') ms = value
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
