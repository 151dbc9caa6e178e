import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRecord, EventsPage, Stats } from '../../../../src-shared/api'
import { startTestEngine, type TestEngine, readJson } from '../../test-engine'

let t: TestEngine

async function page(query: string): Promise<EventsPage> {
  const res = await t.admin(`/api/events?${query}`)
  expect(res.status, await res.clone().text()).toBe(200)
  return (await readJson(res)) as EventsPage
}

/** Every page of a query, following cursors. */
async function all(query: string, limit = 7): Promise<EventsPage['events']> {
  const out: EventsPage['events'] = []
  let cursor: string | null = null
  do {
    const p: EventsPage = await page(`${query}&limit=${limit}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    out.push(...p.events)
    cursor = p.nextCursor
  } while (cursor)
  return out
}

beforeAll(async () => {
  // Indexing only when asked: each filter is checked on the unindexed tail first, then indexed.
  t = await startTestEngine({}, (config) => (config.searchIndexing = 'manual'))
  const batch = []
  for (let i = 0; i < 60; i++) {
    batch.push({
      type: i % 3 === 0 ? 'identify' : 'track',
      event: i % 3 === 0 ? undefined : i % 2 === 0 ? 'Order Completed' : 'Product Viewed',
      userId: `user-${i % 4}`,
      anonymousId: `anon-${i % 5}`,
      messageId: `m-${i}`,
      properties: { sku: `SKU-${i}`, note: i === 42 ? 'the answer to everything' : 'plain' }
    })
  }
  expect((await t.track('/v1/batch', { batch }, 'wk_shop')).status).toBe(200)
  expect((await t.track('/v1/page', { anonymousId: 'anon-web', name: 'Pricing', messageId: 'p-1' }, 'wk_web')).status).toBe(200)
})
afterAll(async () => {
  await t.stop()
})

describe('GET /api/events', () => {
  it('lists newest first with cursor paging that neither skips nor repeats', async () => {
    const events = await all('')
    expect(events).toHaveLength(61)
    const ids = events.map((e) => Number(e.id))
    expect([...ids].sort((a, b) => b - a)).toEqual(ids)
    expect(new Set(ids).size).toBe(61)
    expect(events[0]!.messageId).toBe('p-1')
  })

  const filterCases: [string, (e: EventsPage['events'][number]) => boolean, number][] = [
    ['type=identify', (e: EventsPage['events'][number]) => e.type === 'identify', 20],
    ['event=Order%20Completed', (e: EventsPage['events'][number]) => e.name === 'Order Completed', 20],
    ['userId=user-1', (e: EventsPage['events'][number]) => e.userId === 'user-1', 15],
    ['anonymousId=anon-2', (e: EventsPage['events'][number]) => e.anonymousId === 'anon-2', 12],
    ['user=anon-web', (e: EventsPage['events'][number]) => e.anonymousId === 'anon-web', 1],
    ['messageId=m-7', (e: EventsPage['events'][number]) => e.messageId === 'm-7', 1],
    ['type=track&userId=user-2', (e: EventsPage['events'][number]) => e.type === 'track' && e.userId === 'user-2', 10],
    ['q=answer%20to', (e: EventsPage['events'][number]) => e.messageId === 'm-42', 1],
    ['q=SKU-13', (e: EventsPage['events'][number]) => e.messageId === 'm-13', 1],
    ['q=plain&userId=user-1', (e: EventsPage['events'][number]) => e.userId === 'user-1', 15]
  ]

  it('filters by type, name, ids, messageId and free text, with the same answers before and after indexing', async () => {
    expect((await t.get('/api/stats')).searchIndex.pending).toBe(61) // nothing indexed yet: all from the tail scan
    const before = new Map<string, string[]>()
    for (const [query, predicate, expected] of filterCases) {
      const events = await all(query)
      expect(events, query).toHaveLength(expected)
      expect(events.every(predicate), query).toBe(true)
      before.set(query, events.map((e) => e.id))
    }
    await t.indexNow()
    expect((await t.get('/api/stats')).searchIndex.pending).toBe(0) // now all from event_keys
    for (const [query] of filterCases) expect((await all(query)).map((e) => e.id), query).toEqual(before.get(query))
  })

  it('filters by source', async () => {
    const sources = (await t.get('/api/sources')).sources as { id: number; writeKey: string }[]
    const web = sources.find((s) => s.writeKey === 'wk_web')!
    const events = await all(`source=${web.id}`)
    expect(events.map((e) => e.messageId)).toEqual(['p-1'])
  })

  it('pages through free-text matches with cursors', async () => {
    await t.indexNow()
    const matches = await all('q=plain', 4)
    expect(matches).toHaveLength(59)
    expect(new Set(matches.map((e) => e.id)).size).toBe(59)
  })

  it('finds free text in the payload, before and after indexing', async () => {
    const tail = await page('q=answer%20to')
    expect(tail.events.map((e) => e.messageId)).toEqual(['m-42'])
    await t.indexNow()
    expect((await page('q=answer%20to')).events.map((e) => e.messageId)).toEqual(['m-42'])
    expect((await page('q=SKU-13')).events.map((e) => e.messageId)).toEqual(['m-13'])
    expect((await page('q=nothing-like-this')).events).toEqual([])
  })

  it('filters by a time range of receivedAt', async () => {
    const newest = (await page('limit=1')).events[0]!
    const at = Date.parse(newest.receivedAt)
    expect((await all(`from=${at}`)).some((e) => e.id === newest.id)).toBe(true)
    expect((await all(`to=${new Date(at).toISOString()}`)).some((e) => e.id === newest.id)).toBe(false)
    expect(await all(`from=${at + 1}`)).toEqual([])
    expect(await all('to=2000-01-01T00:00:00Z')).toEqual([])
  })

  it('refuses unknown or malformed parameters, naming them', async () => {
    for (const [query, field] of [['userid=x', 'userid'], ['limit=0', 'limit'], ['limit=9999', 'limit'], ['type=purchase', 'type'], ['from=soon', 'from'], ['cursor=abc', 'cursor'], ['source=web', 'source']]) {
      const res = await t.admin(`/api/events?${query}`)
      expect(res.status).toBe(400)
      const body = await readJson(res)
      expect(body.error).toMatchObject({ code: 'ERR_ADMIN_INVALID_QUERY', field })
    }
  })
})

describe('free text', () => {
  it('gives the same answers before and after indexing, narrowing as the query grows', async () => {
    const batch = [
      { type: 'track', event: 'Kite', userId: 'k', messageId: 'kite-1', properties: { sport: 'kite' } },
      { type: 'track', event: 'Lesson', userId: 'k', messageId: 'kite-2', properties: { sport: 'kitesurf' } },
      { type: 'track', event: 'Lesson', userId: 'k', messageId: 'kite-3', properties: { title: 'Kitesurfing lesson' } }
    ]
    expect((await t.track('/v1/batch', { batch }, 'wk_kite')).status).toBe(200)
    const expected: [string, string[]][] = [
      ['kit', ['kite-3', 'kite-2', 'kite-1']],
      ['kite', ['kite-3', 'kite-2', 'kite-1']],
      ['kites', ['kite-3', 'kite-2']],
      ['kitesurf', ['kite-3', 'kite-2']],
      ['kitesurfing', ['kite-3']],
      ['KITESURFING lesson', ['kite-3']]
    ]
    const run = async () => {
      for (const [q, ids] of expected) expect((await all(`q=${encodeURIComponent(q)}`)).map((e) => e.messageId), q).toEqual(ids)
    }
    expect((await t.get('/api/stats')).searchIndex.pending).toBe(3)
    await run()
    await t.indexNow()
    await run()
  })
})

describe('GET /api/events/:id', () => {
  it('returns the payload as sent plus the normalized fields', async () => {
    const summary = (await page('messageId=m-42')).events[0]!
    const res = await t.admin(`/api/events/${summary.id}`)
    const event = (await readJson(res)) as EventRecord
    expect(event).toMatchObject({ id: summary.id, type: 'identify', messageId: 'm-42', messageIdGenerated: false })
    expect(event.payload).toMatchObject({ type: 'identify', userId: 'user-2', properties: { note: 'the answer to everything' } })
  })

  it('answers 404 for an unknown id', async () => {
    for (const id of ['999999', 'abc']) {
      const res = await t.admin(`/api/events/${id}`)
      expect(res.status).toBe(404)
      expect((await readJson(res)).error.code).toBe('ERR_ADMIN_NOT_FOUND')
    }
  })
})

describe('GET /api/stats', () => {
  it('counts stored events and sources and knows the database size', async () => {
    const stats = (await t.get('/api/stats')) as Stats
    expect(stats.events.total).toBe(64) // 61 + the 3 of the free-text test
    expect(stats.sources).toBe(3)
    expect(stats.db.bytes).toBeGreaterThan(0)
    expect(stats.listening.trackingUrl).toBe(`${t.baseUrl}/v1`)
    expect(stats.events.lastReceivedAt).not.toBeNull()
  })
})

describe('query plans', () => {
  it('uses an index for every driven filter (EXPLAIN QUERY PLAN)', () => {
    const queries = t.engine.context.queries
    const plan = (search: Parameters<typeof queries.explain>[0]) => queries.explain(search).join(' | ')
    expect(plan({ limit: 50 })).toMatch(/SCAN e/)
    expect(plan({ limit: 50, messageId: 'm-1' })).toMatch(/USING INDEX events_message_id/)
    expect(plan({ limit: 50, userId: 'u' })).toMatch(/SEARCH k USING PRIMARY KEY \(key=\?/)
    expect(plan({ limit: 50, user: 'u' })).toMatch(/SEARCH event_keys USING PRIMARY KEY \(key=\?/)
    expect(plan({ limit: 50, q: 'hello' })).toMatch(/VIRTUAL TABLE INDEX/)
    expect(plan({ limit: 50, source: 1 })).toMatch(/USING (COVERING )?INDEX events_source \(source_id=\?\)/)
    expect(plan({ limit: 50, type: 'alias' })).toMatch(/USING (COVERING )?INDEX events_type \(type=\?\)/)
    expect(plan({ limit: 50, event: 'Order Completed', q: 'x' })).toMatch(/SEARCH k USING PRIMARY KEY/)
    expect(plan({ limit: 50, from: Date.now() - 1000 })).toMatch(/USING INTEGER PRIMARY KEY \(rowid>\?/)
    expect(plan({ limit: 50, userId: 'u' })).not.toMatch(/SCAN k/)
  })
})
