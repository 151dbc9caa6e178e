import { describe, expect, it } from 'vitest'
import { formatBytes, formatCount, formatRate } from './numbers'

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [512, '512 B'],
    [1023, '1023 B'],
    [1024, '1.0 KB'],
    [1536, '1.5 KB'],
    [40 * 1024, '40 KB'],
    [1.4 * 1024 * 1024, '1.4 MB'],
    [340 * 1024 * 1024, '340 MB'],
    [3 * 1024 ** 3, '3.0 GB']
  ])('%d bytes → %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text))

  it('shows a dash for nonsense', () => {
    expect(formatBytes(-1)).toBe('—')
    expect(formatBytes(Number.NaN)).toBe('—')
  })
})

describe('formatCount and formatRate', () => {
  it('groups thousands', () => expect(formatCount(1234567)).toBe('1,234,567'))
  it.each([
    [0, '0/s'],
    [0.04, '0.0/s'],
    [4, '4.0/s'],
    [12.4, '12/s'],
    [2345.6, '2,346/s']
  ])('%d per second → %s', (rate, text) => expect(formatRate(rate)).toBe(text))
})
