// Fault injection over real HTTP against a real engine: validation of the admin API, and that an injected
// failure never stores the event while a delay does.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FaultRule, FaultsState } from '../../../src-shared/faults'
import { startTestEngine, type TestEngine, readJson } from '../test-engine'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

let keys = 0
async function source(): Promise<{ id: number; writeKey: string }> {
  const writeKey = `wk_faults_${++keys}`
  const res = await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: writeKey, writeKey }) })
  expect(res.status).toBe(201)
  return { id: ((await readJson(res)) as { id: number }).id, writeKey }
}

function send(method: string, path: string, body?: unknown): Promise<Response> {
  return t.admin(path, { method, headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) })
}

async function rule(body: Record<string, unknown>): Promise<FaultRule> {
  const res = await send('POST', '/api/faults', body)
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return (await readJson(res)) as FaultRule
}

async function storedCount(messageId: string): Promise<number> {
  const page = await t.get(`/api/events?messageId=${encodeURIComponent(messageId)}`)
  return page.events.length
}

async function faults(sourceId: number): Promise<FaultsState> {
  return (await t.get(`/api/faults?sourceId=${sourceId}`)) as FaultsState
}

describe('fault rules: admin API validation', () => {
  it.each([
    [{ kind: '503' }, 'sourceId'],
    [{ kind: 'teapot' }, 'kind'],
    [{ kind: '503', probability: 1.5 }, 'probability'],
    [{ kind: '503', probability: '1' }, 'probability'],
    [{ kind: '503', count: 0 }, 'count'],
    [{ kind: '503', path: '/api/events' }, 'path'],
    [{ kind: '503', retryAfterSeconds: 5 }, 'retryAfterSeconds'],
    [{ kind: '429', retryAfterSeconds: -1 }, 'retryAfterSeconds'],
    [{ kind: 'delay' }, 'delayMs'],
    [{ kind: 'delay', delayMs: 999_999 }, 'delayMs'],
    [{ kind: '503', enabled: 'yes' }, 'enabled'],
    [{ kind: '503', colour: 'red' }, 'colour']
  ])('refuses %j naming %s', async (body, field) => {
    const { id } = await source()
    const res = await send('POST', '/api/faults', field === 'sourceId' ? body : { sourceId: id, ...body })
    expect(res.status).toBe(400)
    expect((await readJson(res)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field })
  })

  it('refuses an unknown source, a body that is no object, and unknown rule ids', async () => {
    const res = await send('POST', '/api/faults', { sourceId: 999_999, kind: '503' })
    expect((await readJson(res)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field: 'sourceId' })
    expect((await send('POST', '/api/faults', [1])).status).toBe(400)
    expect((await send('PATCH', '/api/faults/424242', { enabled: false })).status).toBe(404)
    expect((await send('DELETE', '/api/faults/nope')).status).toBe(404)
    expect((await send('GET', '/api/faults?sourceId=x')).status).toBe(400)
  })

  it('creates with defaults, updates as a whole, deletes', async () => {
    const { id } = await source()
    const created = await rule({ sourceId: id, kind: '429' })
    expect(created).toMatchObject({ sourceId: id, kind: '429', retryAfterSeconds: 1, delayMs: null, path: null, probability: 1, count: null, enabled: true, injected: 0 })

    const toDelay = await send('PATCH', `/api/faults/${created.id}`, { kind: 'delay' })
    expect((await readJson(toDelay)).error).toMatchObject({ field: 'delayMs' })
    const patched = await readJson(await send('PATCH', `/api/faults/${created.id}`, { kind: 'delay', delayMs: 20, path: '/v1/batch', enabled: false }))
    expect(patched).toMatchObject({ kind: 'delay', delayMs: 20, retryAfterSeconds: null, path: '/v1/batch', enabled: false })
    expect((await send('PATCH', `/api/faults/${created.id}`, { sourceId: 3 })).status).toBe(400)

    expect((await faults(id)).rules.map((r) => r.id)).toEqual([created.id])
    expect((await send('DELETE', `/api/faults/${created.id}`)).status).toBe(200)
    expect((await faults(id)).rules).toEqual([])
  })

  it('drops the rules of a deleted source', async () => {
    const { id } = await source()
    await rule({ sourceId: id, kind: '503' })
    expect((await send('DELETE', `/api/sources/${id}`)).status).toBe(200)
    expect((await t.get('/api/faults')).rules.filter((r: FaultRule) => r.sourceId === id)).toEqual([])
  })
})

describe('fault injection on the tracking surface', () => {
  it('an injected 503 stores nothing; once its count is spent the same request is stored once', async () => {
    const { id, writeKey } = await source()
    const created = await rule({ sourceId: id, kind: '503', count: 2 })
    const body = { batch: [{ type: 'track', event: 'Paid', userId: 'u1', messageId: 'fault-503-a' }, { type: 'identify', userId: 'u1', messageId: 'fault-503-b' }] }

    for (let i = 0; i < 2; i++) {
      const res = await t.track('/v1/batch', body, writeKey)
      expect(res.status).toBe(503)
      expect(res.headers.get('x-loupe-fault')).toBe(String(created.id))
      expect((await readJson(res)).error.code).toBe('ERR_FAULT_INJECTED')
    }
    expect(await storedCount('fault-503-a')).toBe(0)

    expect((await t.track('/v1/batch', body, writeKey)).status).toBe(200)
    expect((await t.track('/v1/batch', body, writeKey)).status).toBe(200) // a client's duplicate retry
    expect(await storedCount('fault-503-a')).toBe(1)
    expect(await storedCount('fault-503-b')).toBe(1)

    const state = await faults(id)
    expect(state.rules[0]!.injected).toBe(2)
    expect(state.recent).toHaveLength(2)
    expect(state.recent[0]).toMatchObject({ ruleId: created.id, sourceId: id, kind: '503', path: '/v1/batch', messageIds: ['fault-503-a', 'fault-503-b'] })
  })

  it('an injected 429 carries Retry-After and stores nothing', async () => {
    const { id, writeKey } = await source()
    await rule({ sourceId: id, kind: '429', retryAfterSeconds: 7, count: 1 })
    const res = await t.track('/v1/track', { event: 'Paid', userId: 'u1', messageId: 'fault-429' }, writeKey)
    expect(res.status).toBe(429)
    expect(res.headers.get('retry-after')).toBe('7')
    expect(await storedCount('fault-429')).toBe(0)
    expect((await t.track('/v1/track', { event: 'Paid', userId: 'u1', messageId: 'fault-429' }, writeKey)).status).toBe(200)
    expect(await storedCount('fault-429')).toBe(1)
  })

  it('a 500 rule limited to /v1/batch leaves /v1/track and other sources alone', async () => {
    const a = await source()
    const b = await source()
    await rule({ sourceId: a.id, kind: '500', path: '/v1/batch' })
    expect((await t.track('/v1/track', { event: 'E', userId: 'u', messageId: 'fault-path-track' }, a.writeKey)).status).toBe(200)
    expect((await t.track('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u', messageId: 'fault-path-other' }] }, b.writeKey)).status).toBe(200)
    expect((await t.track('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u', messageId: 'fault-path-batch' }] }, a.writeKey)).status).toBe(500)
    expect(await storedCount('fault-path-track')).toBe(1)
    expect(await storedCount('fault-path-other')).toBe(1)
    expect(await storedCount('fault-path-batch')).toBe(0)
  })

  it('a drop closes the connection without an answer and stores nothing', async () => {
    const { id, writeKey } = await source()
    await rule({ sourceId: id, kind: 'drop', count: 1 })
    await expect(t.track('/v1/track', { event: 'E', userId: 'u', messageId: 'fault-drop' }, writeKey)).rejects.toThrow()
    expect(await storedCount('fault-drop')).toBe(0)
    expect((await faults(id)).rules[0]!.injected).toBe(1)
  })

  it('a delay rule stores the event normally after the delay', async () => {
    const { id, writeKey } = await source()
    await rule({ sourceId: id, kind: 'delay', delayMs: 50 })
    const res = await t.track('/v1/track', { event: 'E', userId: 'u', messageId: 'fault-delay' }, writeKey)
    expect(res.status).toBe(200)
    expect(await storedCount('fault-delay')).toBe(1)
    expect((await faults(id)).rules[0]!.injected).toBe(1)
  })

  it('probability 0 never injects; a disabled rule neither', async () => {
    const { id, writeKey } = await source()
    await rule({ sourceId: id, kind: '503', probability: 0 })
    await rule({ sourceId: id, kind: 'drop', enabled: false })
    for (let i = 0; i < 25; i++) {
      expect((await t.track('/v1/track', { event: 'E', userId: 'u', messageId: `fault-p0-${i}` }, writeKey)).status).toBe(200)
    }
    const state = await faults(id)
    expect(state.rules.map((r) => r.injected)).toEqual([0, 0])
    expect(state.recent).toEqual([])
  })

  it('resetInjected re-arms a spent rule', async () => {
    const { id, writeKey } = await source()
    const created = await rule({ sourceId: id, kind: '503', count: 1 })
    expect((await t.track('/v1/track', { event: 'E', userId: 'u' }, writeKey)).status).toBe(503)
    expect((await t.track('/v1/track', { event: 'E', userId: 'u' }, writeKey)).status).toBe(200)
    await send('PATCH', `/api/faults/${created.id}`, { resetInjected: true })
    expect((await t.track('/v1/track', { event: 'E', userId: 'u' }, writeKey)).status).toBe(503)
  })
})
