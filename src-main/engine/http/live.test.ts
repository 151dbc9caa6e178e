import { describe, expect, it } from 'vitest'
import type { EventRow } from '../store/event-row'
import { compileFilters } from './live'

const event = (payload: string, over: Partial<EventRow> = {}) => ({
  id: 1,
  row: { sourceId: 1, type: 'track' as const, name: 'E', userId: 'u', anonymousId: 'a', messageId: 'm', messageIdGenerated: false, receivedAt: 1000, timestamp: 1000, originalTimestamp: null, sentAt: null, size: payload.length, warnings: null, payload, ...over }
})

describe('Live filters', () => {
  it('match free text like /api/events: words in order, the last one unfinished', () => {
    const kitesurf = event('{"sport":"kitesurf"}')
    const kitesurfing = event('{"title":"Kitesurfing lesson"}')
    const matches = (q: string) => [kitesurf, kitesurfing].filter(compileFilters({ q })).map((e) => e.row.payload)
    expect(matches('kitesurf')).toEqual([kitesurf.row.payload, kitesurfing.row.payload])
    expect(matches('kitesurfing')).toEqual([kitesurfing.row.payload])
    expect(matches('surf')).toEqual([]) // words start where words start
  })

  it('apply the exact filters and the time range', () => {
    const e = event('{}', { sourceId: 2, type: 'page', name: 'Home', userId: null, anonymousId: 'anon', receivedAt: 5000 })
    expect(compileFilters({ source: 2, type: 'page', event: 'Home', user: 'anon', from: 5000, to: 5001 })(e)).toBe(true)
    expect(compileFilters({ source: 1 })(e)).toBe(false)
    expect(compileFilters({ user: 'someone' })(e)).toBe(false)
    expect(compileFilters({ to: 5000 })(e)).toBe(false)
  })
})
