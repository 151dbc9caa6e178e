import { describe, expect, it } from 'vitest'
import { correctTimestamps, parseIso } from './timestamps'

describe('parseIso', () => {
  it.each([
    ['2024-01-02T03:04:05.678Z', '2024-01-02T03:04:05.678Z'],
    ['2024-01-02T03:04:05Z', '2024-01-02T03:04:05.000Z'],
    ['2024-01-02T03:04:05', '2024-01-02T03:04:05.000Z'], // no offset: UTC, not the server's zone
    ['2024-01-02T03:04:05.123456789+02:00', '2024-01-02T01:04:05.123Z'],
    ['2024-01-02T03:04:05+0530', '2024-01-01T21:34:05.000Z'],
    ['2024-01-02T03:04-01', '2024-01-02T04:04:00.000Z'],
    ['2024-01-02 03:04:05.5z', '2024-01-02T03:04:05.500Z'],
    ['2024-01-02', '2024-01-02T00:00:00.000Z']
  ])('reads %s', (text, iso) => {
    expect(new Date(parseIso(text)).toISOString()).toBe(iso)
  })

  it.each(['Jan 1 2024', '1', 'yesterday', '2024-13-45T99:99:99Z', '', '2024-01-02T03'])('refuses %j', (text) => {
    expect(Number.isNaN(parseIso(text))).toBe(true)
  })
})

describe('correctTimestamps', () => {
  it('applies Segment’s skew correction and keeps the original', () => {
    const t = correctTimestamps('2024-01-01T00:00:10.000Z', '2024-01-01T00:00:12.000Z', Date.parse('2024-01-01T01:00:00.000Z'))
    expect(new Date(t.timestamp).toISOString()).toBe('2024-01-01T00:59:58.000Z')
    expect(t.originalTimestamp).toBe(Date.parse('2024-01-01T00:00:10.000Z'))
    expect(t.invalid).toEqual([])
  })

  it('rounds numeric times to whole milliseconds and flags unreadable ones', () => {
    expect(correctTimestamps(1000.6, undefined, 5000)).toMatchObject({ timestamp: 1001, originalTimestamp: 1001 })
    expect(correctTimestamps('Jan 1 2024', 'nope', 5000)).toMatchObject({ timestamp: 5000, originalTimestamp: null, invalid: ['timestamp', 'sentAt'] })
  })
})
