// Assertions over HTTP against a real engine: matching, near misses, wait-for on the live bus.

import { request } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AssertResult } from '../../../src-shared/qa'
import type { Source } from '../../../src-shared/api'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'

let t: TestEngine
let source: Source

const post = (path: string, body: unknown, init: RequestInit = {}): Promise<Response> =>
  t.admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body), ...init })
const assertEvents = async (body: unknown): Promise<AssertResult> => {
  const res = await post('/api/assert/events', body)
  expect(res.status).toBe(200)
  return readJson(res)
}

beforeAll(async () => {
  t = await startTestEngine()
  source = await readJson(await post('/api/sources', { name: 'Shop' }))
  const send = (body: unknown) => t.track('/v1/track', body, source.writeKey).then((r) => expect(r.status).toBe(200))
  await send({ userId: 'u1', event: 'Order Completed', properties: { total: 12, orderId: 'ord_1', items: [{ sku: 'a' }] } })
  await send({ userId: 'u2', event: 'Order Complete', properties: { total: 10, orderId: 'ord_2' } })
  await send({ userId: 'u1', event: 'Product Viewed', properties: { sku: 'a' } })
  await t.track('/v1/identify', { userId: 'u1', traits: { email: 'a@example.com' } }, source.writeKey)
})
afterAll(async () => {
  await t.stop()
})

describe('POST /api/assert/events', () => {
  it('matches by type, name, user, source and where conditions', async () => {
    const base = { type: 'track', event: 'Order Completed', sourceId: source.id }
    expect(await assertEvents({ match: { ...base, userId: 'u1', where: [{ path: 'properties.total', equals: 12 }] } })).toMatchObject({ matched: true, count: 1, nearMisses: [] })
    expect((await assertEvents({ match: { ...base, where: [{ path: 'properties.items', equals: [{ sku: 'a' }] }] } })).matched).toBe(true)
    expect((await assertEvents({ match: { ...base, where: [{ path: 'properties.orderId', matches: '^ord_\\d$' }] } })).matched).toBe(true)
    expect((await assertEvents({ match: { ...base, where: [{ path: 'properties.coupon', exists: false }, { path: 'properties.total', exists: true }] } })).matched).toBe(true)
    expect((await assertEvents({ match: { type: 'identify', where: [{ path: 'traits.email', matches: '@example\\.com$' }] } })).count).toBe(1)
    expect((await assertEvents({ match: { type: ['track', 'identify'], userId: 'u1' } })).count).toBe(3)
    const exact = await assertEvents({ match: { type: 'track' }, count: { exactly: 3 } })
    expect(exact).toMatchObject({ matched: true, count: 3, expected: 'exactly 3 track' })
    expect(exact.events.map((e) => e.name)).toEqual(['Product Viewed', 'Order Complete', 'Order Completed'])
    expect((await assertEvents({ match: { type: 'track' }, count: { max: 2 } })).matched).toBe(false)
    expect((await assertEvents({ match: { type: 'track' }, limit: 1 })).events).toHaveLength(1)
  })

  it('answers near misses with their differences when nothing matches', async () => {
    const result = await assertEvents({ match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] } })
    expect(result).toMatchObject({ matched: false, count: 0, expected: 'at least 1 track "Order Completed" where properties.total = 10' })
    expect(result.nearMisses[0]!.differences).toEqual(['properties.total: expected 10, got 12'])
    expect(result.nearMisses[1]!.differences).toEqual(['event: expected "Order Completed", got "Order Complete"'])
    expect(result.nearMisses[1]!.event.payload).toMatchObject({ properties: { total: 10 } })
    expect(result.nearMisses.length).toBeLessThanOrEqual(5)
    expect(result.nearMisses.map((m) => m.event.type)).toContain('identify')
  })

  it('refuses an invalid regular expression, naming the field', async () => {
    const res = await post('/api/assert/events', { match: { where: [{ path: 'properties.orderId', matches: '([' }] } })
    expect(res.status).toBe(400)
    expect((await readJson(res)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field: 'match.where[0].matches' })
    // A pattern that can backtrack exponentially on a crafted event value is refused too.
    const nested = await post('/api/assert/events', { match: { where: [{ path: 'properties.orderId', matches: '^(\\w+\\s?)*$' }] } })
    expect(nested.status).toBe(400)
    expect((await readJson(nested)).error.message).toContain('exponential')
  })

  it('has a GET form with query parameters', async () => {
    const result = (await t.get(`/api/assert/events?type=track&event=Order%20Completed&userId=u1&sourceId=${source.id}&count=1`)) as AssertResult
    expect(result).toMatchObject({ matched: true, count: 1 })
    const bad = await t.admin('/api/assert/events?min=x')
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_QUERY', field: 'min' })
  })
})

describe('wait-for', () => {
  it('holds the request until a matching event commits', async () => {
    const pending = assertEvents({ match: { event: 'Checkout Started', userId: 'late' }, timeoutMs: 30_000 })
    // The waiter is registered once the engine counts it; then the event is sent.
    await expect.poll(() => t.engine.context.qa.waiters.waiting).toBe(1)
    await t.track('/v1/track', { userId: 'late', event: 'Checkout Started' }, source.writeKey)
    const result = await pending
    expect(result).toMatchObject({ matched: true, count: 1 })
    expect(result.events[0]!.name).toBe('Checkout Started')
    expect(t.engine.context.qa.waiters.waiting).toBe(0)
  })

  it('answers 200 with matched false and near misses at the timeout', async () => {
    const result = await assertEvents({ match: { event: 'Order Completed', userId: 'nobody' }, timeoutMs: 200 })
    expect(result).toMatchObject({ matched: false, count: 0 })
    expect(result.nearMisses[0]!.differences).toEqual(['userId: expected "nobody", got "u1"'])
  })

  it('answers "exactly" once the count has held, and at once when it is exceeded', async () => {
    const settled = await assertEvents({ match: { event: 'Order Completed' }, count: { exactly: 1 }, timeoutMs: 30_000 })
    expect(settled).toMatchObject({ matched: true, count: 1 })
    const over = await assertEvents({ match: { type: 'track' }, count: { max: 1 }, timeoutMs: 30_000 })
    expect(over).toMatchObject({ matched: false })
    expect(over.nearMisses).toEqual([])
  })

  it('releases the waiter of a client that goes away', async () => {
    // node:http rather than fetch: undici opens a spare connection after an abort, which would hold up stop().
    const req = request(`${t.baseUrl}/api/assert/events`, { method: 'POST', headers: { authorization: `Bearer ${t.token}`, 'content-type': 'application/json' } })
    req.on('error', () => undefined)
    req.end(JSON.stringify({ match: { event: 'Never Sent' }, timeoutMs: 60_000 }))
    await expect.poll(() => t.engine.context.qa.waiters.waiting).toBe(1)
    req.destroy()
    await expect.poll(() => t.engine.context.qa.waiters.waiting).toBe(0)
  })
})
