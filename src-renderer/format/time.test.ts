import { describe, expect, it } from 'vitest'
import { clockSkewMs, formatClock, formatDateTime, formatDuration, formatRelative, formatSkew, fromLocalInputValue, toLocalInputValue } from './time'

// Built from local parts so the tests pass in any time zone.
const local = new Date(2024, 0, 2, 3, 4, 5, 6).toISOString()

describe('clock and date-time', () => {
  it('formats local time with milliseconds', () => {
    expect(formatClock(local)).toBe('03:04:05.006')
    expect(formatDateTime(local)).toBe('2024-01-02 03:04:05.006')
  })
  it('shows a dash for missing or invalid input', () => {
    expect(formatClock(null)).toBe('—')
    expect(formatDateTime('not a date')).toBe('—')
  })
})

describe('formatRelative', () => {
  const now = Date.parse('2024-05-01T12:00:00Z')
  it.each([
    ['2024-05-01T11:59:58Z', 'just now'],
    ['2024-05-01T11:59:48Z', '12 s ago'],
    ['2024-05-01T11:55:00Z', '5 min ago'],
    ['2024-05-01T09:00:00Z', '3 h ago'],
    ['2024-04-28T12:00:00Z', '3 d ago']
  ])('%s → %s', (iso, text) => expect(formatRelative(iso, now)).toBe(text))
  it('says never for null', () => expect(formatRelative(null, now)).toBe('never'))
})

describe('durations and clock skew', () => {
  it.each([
    [350, '350 ms'],
    [1234, '1.23 s'],
    [12_345, '12.3 s'],
    [125_000, '2 min 5 s'],
    [3 * 3600_000 + 120_000, '3 h 2 min'],
    [5 * 86_400_000, '5 d']
  ])('%d ms → %s', (ms, text) => expect(formatDuration(ms)).toBe(text))

  it('computes receivedAt − sentAt', () => {
    expect(clockSkewMs('2024-01-01T00:00:01.500Z', '2024-01-01T00:00:00.000Z')).toBe(1500)
    expect(clockSkewMs('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.350Z')).toBe(-350)
    expect(clockSkewMs('2024-01-01T00:00:00.000Z', null)).toBeNull()
  })

  it('signs the skew', () => {
    expect(formatSkew(1500)).toBe('+1.50 s')
    expect(formatSkew(-350)).toBe('−350 ms')
    expect(formatSkew(0)).toBe('0 ms')
    expect(formatSkew(null)).toBe('unknown (no sentAt)')
  })
})

describe('datetime-local inputs', () => {
  it('round-trips local minutes', () => {
    const iso = new Date(2024, 6, 9, 8, 7).toISOString()
    expect(toLocalInputValue(iso)).toBe('2024-07-09T08:07')
    expect(fromLocalInputValue('2024-07-09T08:07')).toBe(iso)
    expect(fromLocalInputValue('')).toBeUndefined()
    expect(toLocalInputValue(undefined)).toBe('')
  })
})
