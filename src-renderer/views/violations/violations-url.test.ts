import { describe, expect, it } from 'vitest'
import type { ViolationGroup } from '../../../src-shared/enforcement'
import { bucketLabel, eventsPathOf, groupByEvent, parseViolationsUrl, sparklinePoints, violationsUrlSearch } from './violations-url'

const group = (over: Partial<ViolationGroup>): ViolationGroup => ({
  sourceId: 1,
  eventType: 'track',
  event: 'Order Completed',
  kind: 'wrong_type',
  pointer: '/properties/total',
  expected: 'number',
  message: 'm',
  count: 1,
  firstSeen: '2024-01-01T00:00:00.000Z',
  lastSeen: '2024-01-01T00:00:00.000Z',
  trend: [1],
  sampleEventIds: ['1'],
  ...over
})

describe('Violations query ⇄ URL', () => {
  it('round-trips, with 24h as the default range', () => {
    expect(parseViolationsUrl('')).toEqual({ range: '24h' })
    expect(violationsUrlSearch({ range: '24h' })).toBe('')
    expect(parseViolationsUrl('?source=3&range=7d')).toEqual({ source: 3, range: '7d' })
    expect(violationsUrlSearch({ source: 3, range: '7d' })).toBe('?source=3&range=7d')
    expect(parseViolationsUrl('?source=x&range=1y')).toEqual({ range: '24h' })
  })

  it('links a group to its events with violations', () => {
    expect(eventsPathOf(group({ sourceId: 2, event: 'Order Completed' }))).toBe('/events?source=2&event=Order+Completed&violations=1')
    expect(eventsPathOf(group({ sourceId: 2, event: null, eventType: 'identify' }))).toBe('/events?source=2&type=identify&violations=1')
    expect(eventsPathOf(group({ sourceId: 2 }), '7d')).toBe('/events?source=2&event=Order+Completed&violations=1&range=7d')
  })
})

describe('report shaping', () => {
  it('groups rows under their event per source, busiest first', () => {
    const groups = [
      group({ event: 'A', kind: 'wrong_type', count: 2 }),
      group({ event: 'B', kind: 'missing_required', count: 5 }),
      group({ event: 'A', kind: 'not_allowed', count: 4 }),
      group({ event: 'A', sourceId: 2, count: 1 })
    ]
    const shaped = groupByEvent(groups)
    expect(shaped.map((e) => [e.sourceId, e.event, e.total, e.groups.map((g) => g.kind)])).toEqual([
      [1, 'A', 6, ['wrong_type', 'not_allowed']],
      [1, 'B', 5, ['missing_required']],
      [2, 'A', 1, ['wrong_type']]
    ])
  })

  it('names bucket widths', () => {
    expect(bucketLabel(300_000)).toBe('5 min')
    expect(bucketLabel(3_600_000)).toBe('1 hour')
    expect(bucketLabel(7_200_000)).toBe('2 hours')
    expect(bucketLabel(86_400_000)).toBe('1 day')
    expect(bucketLabel(90_000)).toBe('90 s')
  })

  it('draws a sparkline scaled to its largest count', () => {
    expect(sparklinePoints([0, 2, 1], 10, 10, 0)).toBe('0,10 5,0 10,5')
    expect(sparklinePoints([0, 0], 10, 10, 0)).toBe('0,10 10,10')
    expect(sparklinePoints([3], 10, 10, 1)).toBe('1,1 9,1')
    expect(sparklinePoints([], 10, 10)).toBe('')
  })
})
