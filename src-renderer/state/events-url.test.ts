import { describe, expect, it } from 'vitest'
import { eventsUrlSearch, hasFilters, parseEventsUrl, toApiFilters, type EventsViewQuery } from './events-url'

describe('Events query ⇄ URL', () => {
  it.each<[string, EventsViewQuery]>([
    ['', { filters: {}, time: { kind: 'all' } }],
    ['?type=track&event=Order+Completed&q=answer+to', { filters: { type: 'track', event: 'Order Completed', q: 'answer to' }, time: { kind: 'all' } }],
    ['?source=3&user=u%261&range=1h', { filters: { source: 3, user: 'u&1' }, time: { kind: 'relative', range: '1h' } }],
    ['?source=2&event=Order+Completed&violations=1', { filters: { source: 2, event: 'Order Completed', violations: true }, time: { kind: 'all' } }],
    ['?quarantined=1&range=24h', { filters: { quarantined: true }, time: { kind: 'relative', range: '24h' } }],
    ['?from=2024-01-01T00%3A00%3A00.000Z&to=2024-01-02T00%3A00%3A00.000Z', { filters: {}, time: { kind: 'custom', from: '2024-01-01T00:00:00.000Z', to: '2024-01-02T00:00:00.000Z' } }]
  ])('%s round-trips', (search, query) => {
    expect(parseEventsUrl(search)).toEqual(query)
    expect(eventsUrlSearch(query)).toBe(search)
  })

  it('ignores what it does not understand instead of sending it to the engine', () => {
    expect(parseEventsUrl('?type=purchase&source=web&range=3y&utm=x&event=')).toEqual({ filters: {}, time: { kind: 'all' } })
    expect(parseEventsUrl('?violations=true&quarantined=0')).toEqual({ filters: {}, time: { kind: 'all' } })
  })

  it('pins a relative range to now for the API', () => {
    const now = Date.parse('2024-05-01T12:00:00.000Z')
    expect(toApiFilters({ filters: { type: 'page' }, time: { kind: 'relative', range: '15m' } }, now)).toEqual({ type: 'page', from: '2024-05-01T11:45:00.000Z' })
    expect(toApiFilters({ filters: {}, time: { kind: 'custom', to: '2024-01-01T00:00:00.000Z' } }, now)).toEqual({ to: '2024-01-01T00:00:00.000Z' })
  })

  it('knows whether anything narrows the list', () => {
    expect(hasFilters(parseEventsUrl(''))).toBe(false)
    expect(hasFilters(parseEventsUrl('?range=7d'))).toBe(true)
    expect(hasFilters(parseEventsUrl('?q=x'))).toBe(true)
    expect(hasFilters(parseEventsUrl('?violations=1'))).toBe(true)
    expect(hasFilters({ filters: { violations: false }, time: { kind: 'all' } })).toBe(false)
  })
})
