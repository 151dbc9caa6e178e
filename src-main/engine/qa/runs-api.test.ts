// Test runs, scoped clears, reset and expectations over HTTP against a real engine, with events sent by
// Segment's own analytics-node client where an app would use it.

import { Analytics } from '@segment/analytics-node'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../../../src-shared/api'
import type { AssertResult, ExpectationsResult, TestRun } from '../../../src-shared/qa'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'

let t: TestEngine

const send = (method: string, path: string, body?: unknown): Promise<Response> =>
  t.admin(path, { method, ...(body === undefined ? {} : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }) })
const createRun = async (body: unknown = {}): Promise<TestRun> => {
  const res = await send('POST', '/api/runs', body)
  expect(res.status).toBe(201)
  return readJson(res)
}
const count = async (match: unknown): Promise<number> => ((await readJson(await send('POST', '/api/assert/events', { match }))) as AssertResult).count
const client = (writeKey: string): Analytics => new Analytics({ writeKey, host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

describe('test runs', () => {
  it('keeps parallel runs apart, and a late flush into an ended run stays in that run', async () => {
    const [a, b] = await Promise.all([createRun({ name: 'checkout spec' }), createRun()])
    expect(a).toMatchObject({ name: 'checkout spec', writeKey: `wk_run_${a.id}`, endedAt: null, events: 0 })
    expect(a.id).not.toBe(b.id)
    const appA = client(a.writeKey)
    const appB = client(b.writeKey)
    appA.track({ userId: 'shared', event: 'Order Completed', properties: { total: 1 } })
    appB.track({ userId: 'shared', event: 'Order Completed', properties: { total: 2 } })
    appB.track({ userId: 'shared', event: 'Order Completed', properties: { total: 3 } })
    await Promise.all([appA.closeAndFlush(), appB.closeAndFlush()])
    expect(await count({ runId: a.id, event: 'Order Completed' })).toBe(1)
    expect(await count({ runId: b.id, event: 'Order Completed' })).toBe(2)
    expect(await count({ runId: a.id, where: [{ path: 'properties.total', equals: 2 }] })).toBe(0)

    const ended = (await readJson(await send('POST', `/api/runs/${a.id}/end`))) as TestRun
    expect(ended.endedAt).not.toBeNull()
    const late = client(a.writeKey)
    late.track({ userId: 'shared', event: 'Late Flush' })
    await late.closeAndFlush()
    expect(await count({ runId: a.id, event: 'Late Flush' })).toBe(1)
    expect(await count({ runId: b.id, event: 'Late Flush' })).toBe(0)
    expect(((await t.get(`/api/runs/${a.id}`)) as TestRun).events).toBe(2)
    expect(((await t.get('/api/runs')).runs as TestRun[]).map((r) => r.id)).toEqual(expect.arrayContaining([a.id, b.id]))
    expect((await send('GET', '/api/runs/nope')).status).toBe(404)
  })

  it('holds events that carry context.loupe.runId, from any source, also for ids never created here', async () => {
    const run = await createRun()
    const app = client('wk_app')
    app.track({ userId: 'u', event: 'Tagged', context: { loupe: { runId: run.id } } })
    app.track({ userId: 'u', event: 'Tagged', context: { loupe: { runId: 'ci-job-42' } } })
    app.track({ userId: 'u', event: 'Tagged', properties: { note: `mentions ${run.id} but is not tagged` } })
    await app.closeAndFlush()
    expect(await count({ runId: run.id, event: 'Tagged' })).toBe(1)
    expect(await count({ runId: 'ci-job-42' })).toBe(1)
    await t.indexNow() // the same answer once the tagged events are in the full-text index
    expect(await count({ runId: run.id, event: 'Tagged' })).toBe(1)
    expect(await count({ runId: 'ci-job-42', event: 'Tagged' })).toBe(1)
  })

  it('captures events of window sources while the window is open', async () => {
    const web: Source = await readJson(await send('POST', '/api/sources', { name: 'Web' }))
    const before = client(web.writeKey)
    before.track({ anonymousId: 'a', event: 'Before Window' })
    await before.closeAndFlush()
    const run = await createRun({ windowSourceIds: [web.id] })
    expect(run.windowSourceIds).toEqual([web.id])
    await t.track('/v1/track', { anonymousId: 'a', event: 'In Window' }, web.writeKey)
    await send('POST', `/api/runs/${run.id}/end`)
    await t.track('/v1/track', { anonymousId: 'a', event: 'After Window' }, web.writeKey)
    const result = (await readJson(await send('POST', '/api/assert/events', { match: { runId: run.id } }))) as AssertResult
    expect(result.events.map((e) => e.name)).toEqual(['In Window'])
    const bad = await send('POST', '/api/runs', { windowSourceIds: [99_999] })
    expect((await readJson(bad)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field: 'windowSourceIds[0]' })
  })

  it('waits for an event of its own run, not for one of another run', async () => {
    const [mine, other] = await Promise.all([createRun(), createRun()])
    const pending = send('POST', '/api/assert/events', { match: { runId: mine.id, event: 'Signed Up' }, timeoutMs: 30_000 }).then(readJson)
    await expect.poll(() => t.engine.context.qa.waiters.waiting).toBe(1)
    await t.track('/v1/track', { userId: 'x', event: 'Signed Up' }, other.writeKey)
    await t.track('/v1/track', { userId: 'x', event: 'Signed Up', properties: { plan: 'pro' } }, mine.writeKey)
    const result = (await pending) as AssertResult
    expect(result).toMatchObject({ matched: true, count: 1 })
    expect(result.events[0]!.payload).toMatchObject({ properties: { plan: 'pro' } })
  })
})

describe('clear and reset', () => {
  it('clears one run: its own source and its tagged events elsewhere, nothing else', async () => {
    const [run, other] = await Promise.all([createRun(), createRun()])
    const shop: Source = await readJson(await send('POST', '/api/sources', { name: 'Shop for runs' }))
    await t.track('/v1/track', { userId: 'c', event: 'Run Event' }, run.writeKey)
    await t.track('/v1/track', { userId: 'c', event: 'Run Event', context: { loupe: { runId: run.id } } }, shop.writeKey)
    await t.track('/v1/track', { userId: 'c', event: 'Run Event' }, shop.writeKey)
    await t.track('/v1/track', { userId: 'c', event: 'Run Event' }, other.writeKey)
    const res = await send('DELETE', `/api/runs/${run.id}/events`)
    expect(await readJson(res)).toEqual({ deleted: 2 })
    expect(await count({ runId: run.id })).toBe(0)
    expect(await count({ runId: other.id })).toBe(1)
    expect(await count({ sourceId: shop.id })).toBe(1)
    await t.indexNow()
    expect((await t.get(`/api/events?event=Run%20Event&source=${shop.id}`)).events).toHaveLength(1)
  })

  it('clears one source, keeps the source, and tells a destination that had not delivered them', async () => {
    const receiver = await refusingReceiver()
    try {
      const shop: Source = await readJson(await send('POST', '/api/sources', { name: 'Shop to clear' }))
      const keep: Source = await readJson(await send('POST', '/api/sources', { name: 'Shop to keep' }))
      const destination = await readJson(await send('POST', '/api/destinations', {
        name: 'Down', kind: 'webhook', settings: { url: receiver.url }, sourceIds: [shop.id]
      }))
      for (const i of [1, 2, 3]) await t.track('/v1/track', { userId: 'd', event: 'To Clear', properties: { i } }, shop.writeKey)
      await t.track('/v1/track', { userId: 'd', event: 'To Keep' }, keep.writeKey)
      await expect.poll(() => receiver.hits).toBeGreaterThan(0) // the destination tried and is backing off
      const res = await send('DELETE', `/api/sources/${shop.id}/events`)
      expect(await readJson(res)).toEqual({ deleted: 3 })
      expect(await count({ sourceId: shop.id })).toBe(0)
      expect(await count({ sourceId: keep.id })).toBe(1)
      expect(((await t.get(`/api/sources/${shop.id}`)) as Source).eventCount).toBe(0)
      const attempts = (await t.get(`/api/destinations/${destination.id}/attempts?outcome=expired`)).attempts as { error: string }[]
      expect(attempts[0]!.error).toMatch(/3 events deleted by a clear of source/)
      expect((await send('DELETE', '/api/sources/99999/events')).status).toBe(404)
    } finally {
      receiver.server.close()
    }
  })

  it('refuses a reset without the confirmation phrase, and deletes every event with it', async () => {
    await t.track('/v1/track', { userId: 'r', event: 'Before Reset' }, 'wk_reset')
    for (const body of [undefined, {}, { confirm: 'yes' }, { confirm: true }]) {
      const res = await send('POST', '/api/reset', body)
      expect(res.status).toBe(400)
      const error = (await readJson(res)).error
      expect(error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field: 'confirm' })
      expect(error.message).toContain('{"confirm": "delete all events"}')
    }
    expect(await count({})).toBeGreaterThan(0)
    const res = await send('POST', '/api/reset', { confirm: 'delete all events' })
    expect((await readJson(res)).deleted).toBeGreaterThan(0)
    expect(await count({})).toBe(0)
    expect((await t.get('/api/sources')).sources.length).toBeGreaterThan(0)
  })
})

describe('POST /api/assert/expectations', () => {
  it('checks every expectation in one call and reports the differences', async () => {
    const run = await createRun()
    const app = client(run.writeKey)
    app.track({ userId: 'e', event: 'Order Completed', properties: { total: 12 } })
    app.page({ userId: 'e', name: 'Home' })
    await app.closeAndFlush()
    const res = await send('POST', '/api/assert/expectations', {
      run: run.id,
      timeout: '300ms',
      expect: [
        { name: 'home page viewed', match: { type: 'page', event: 'Home' }, count: 1 },
        { match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] } }
      ]
    })
    expect(res.status).toBe(200)
    const result = (await readJson(res)) as ExpectationsResult
    expect(result.passed).toBe(false)
    expect(result.results.map((r) => r.passed)).toEqual([true, false])
    expect(result.report).toContain('✓ home page viewed')
    expect(result.report).toContain('✗ at least 1 track "Order Completed" in run')
    expect(result.report).toContain('- properties.total: expected 10, got 12')
    expect(result.report).toContain('1 of 2 expectations passed')
    // The run keeps score for the Runs screen.
    await expect.poll(async () => (await t.get(`/api/runs/${run.id}`)).assertions).toEqual({ checked: 2, failed: 1 })
    // No plan on its source yet; with one, the run's events are checked against it.
    expect((await t.get(`/api/runs/${run.id}`)).violations).toBeNull()
    const plan = await send('POST', '/api/plans', {
      name: 'Run plan',
      sourceIds: [run.sourceId],
      rules: [{ type: 'TRACK', key: 'Order Completed', jsonSchema: { type: 'object', properties: { properties: { type: 'object', properties: { total: { type: 'string' } } } } } }]
    })
    expect(plan.status).toBe(201)
    // The track's total is a number (wrong type); the page has no PAGE rule, so it is not checked further.
    expect((await t.get(`/api/runs/${run.id}`)).violations).toMatchObject({ events: 1 })

    const bad = await send('POST', '/api/assert/expectations', { timeout: 'soon', expect: [] })
    expect((await readJson(bad)).error).toMatchObject({ field: 'timeout' })
    const badMatch = await send('POST', '/api/assert/expectations', { expect: [{ match: { where: [{ path: 'x', matches: '[' }] } }] })
    expect((await readJson(badMatch)).error).toMatchObject({ field: 'expect[0].match.where[0].matches' })
  })
})

/** A webhook receiver that answers 503: the destination keeps the events and backs off. */
async function refusingReceiver(): Promise<{ server: Server; url: string; hits: number }> {
  const state = { server: null as unknown as Server, url: '', hits: 0 }
  state.server = createServer((req, res) => {
    state.hits++
    req.resume()
    res.writeHead(503).end()
  })
  await new Promise<void>((resolve) => state.server.listen(0, '127.0.0.1', resolve))
  state.url = `http://127.0.0.1:${(state.server.address() as AddressInfo).port}/hook`
  return state
}
