import { describe, expect, it } from 'vitest'
import { LABEL_MAX, shortLabels, truncateMiddle } from './graph-labels'

describe('identity graph labels', () => {
  it('keeps short values and cuts long ones in the middle, an email keeping its domain', () => {
    expect(truncateMiddle('ada@example.com')).toBe('ada@example.com')
    expect(truncateMiddle('a.very.long.email.address@example.com')).toBe('a.very.long…@example.com')
    const device = truncateMiddle('device-anon-5-yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy-end')
    expect(device).toMatch(/^device-anon-…/)
    expect(device.endsWith('-end')).toBe(true)
    expect([...device]).toHaveLength(LABEL_MAX)
  })

  it('gives values that would read the same a label showing where they differ', () => {
    const values = [6, 7, 8].map((n) => `a.very.long.email.address.for.testing.layout.${n}@some-really-long-subdomain.example-company.com`)
    const labels = shortLabels([...values, 'short'])
    expect(new Set(labels).size).toBe(4)
    expect(labels[0]).toContain('t.6@')
    expect(labels[1]).toContain('t.7@')
    expect(labels[3]).toBe('short')
    for (const label of labels) expect([...label].length).toBeLessThanOrEqual(LABEL_MAX + 4)
  })

  it('leaves one long value and unrelated long values cut the usual way', () => {
    const labels = shortLabels(['a.very.long.email.address@example.com', 'device-anon-1-' + 'y'.repeat(40)])
    expect(labels[0]).toBe('a.very.long…@example.com')
    expect(labels[1]).toBe(truncateMiddle('device-anon-1-' + 'y'.repeat(40)))
  })
})
