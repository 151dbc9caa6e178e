import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { LiveBatch, Source } from '../../../../src-shared/api'
import { startTestEngine, type TestEngine, readJson } from '../../test-engine'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

describe('/api/sources', () => {
  it('creates, lists, renames and deletes a source', async () => {
    const created = await t.admin('/api/sources', { method: 'POST', ...json({ name: 'Checkout web' }) })
    expect(created.status).toBe(201)
    const source = (await readJson(created)) as Source
    expect(source).toMatchObject({ name: 'Checkout web', autoCreated: false, eventCount: 0, lastSeenAt: null })
    expect(source.writeKey).toMatch(/^wk_[\w-]{22}$/)

    expect((await t.track('/v1/track', { userId: 'u', event: 'Paid' }, source.writeKey)).status).toBe(200)
    const listed = (await t.get('/api/sources')).sources as Source[]
    expect(listed.find((s) => s.id === source.id)).toMatchObject({ eventCount: 1, lastSeenAt: expect.any(String) })

    const renamed = await t.admin(`/api/sources/${source.id}`, { method: 'PATCH', ...json({ name: 'Checkout' }) })
    expect((await readJson(renamed)).name).toBe('Checkout')

    const deleted = await t.admin(`/api/sources/${source.id}`, { method: 'DELETE' })
    expect(deleted.status).toBe(200)
    expect((await t.admin(`/api/sources/${source.id}`)).status).toBe(404)
    await expect.poll(async () => (await t.get(`/api/events?source=${source.id}`)).events.length).toBe(0)

    // The deleted source was the newest: its id is not handed out again (runs, rules and purges keep old ids).
    const next = (await readJson(await t.admin('/api/sources', { method: 'POST', ...json({ name: 'After' }) }))) as Source
    expect(next.id).toBeGreaterThan(source.id)
  })

  it('refuses a duplicate write key, a bad name and unknown fields', async () => {
    await t.admin('/api/sources', { method: 'POST', ...json({ name: 'A', writeKey: 'wk_fixed' }) })
    const dup = await t.admin('/api/sources', { method: 'POST', ...json({ name: 'B', writeKey: 'wk_fixed' }) })
    expect(dup.status).toBe(409)
    expect((await readJson(dup)).error).toMatchObject({ code: 'ERR_ADMIN_CONFLICT', field: 'writeKey' })
    const noName = await t.admin('/api/sources', { method: 'POST', ...json({ name: '  ' }) })
    expect((await readJson(noName)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_BODY', field: 'name' })
    const badKey = await t.admin('/api/sources', { method: 'POST', ...json({ name: 'C', writeKey: 'has space' }) })
    expect(badKey.status).toBe(400)
    const extra = await t.admin('/api/sources/1', { method: 'PATCH', ...json({ writeKey: 'x' }) })
    expect(extra.status).toBe(400)
    const broken = await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":' })
    expect(broken.status).toBe(400)
  })
})

/** Reads Server-Sent Events until `until` is satisfied. */
async function readLive(path: string, act: () => Promise<void>, until: (batches: LiveBatch[]) => boolean): Promise<LiveBatch[]> {
  const controller = new AbortController()
  const res = await t.admin(path, { signal: controller.signal })
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toMatch(/text\/event-stream/)
  const reader = res.body!.getReader()
  const decoder = new TextDecoder()
  const batches: LiveBatch[] = []
  let buffer = ''
  await act()
  const deadline = Date.now() + 10_000
  while (!until(batches) && Date.now() < deadline) {
    const { value, done } = await reader.read()
    if (done) break
    buffer += decoder.decode(value, { stream: true })
    let end: number
    while ((end = buffer.indexOf('\n\n')) !== -1) {
      const frame = buffer.slice(0, end)
      buffer = buffer.slice(end + 2)
      const data = frame.split('\n').find((line) => line.startsWith('data: '))
      if (frame.includes('event: events') && data) batches.push(JSON.parse(data.slice(6)) as LiveBatch)
    }
  }
  controller.abort()
  return batches
}

describe('GET /api/live', () => {
  it('streams committed events matching the filters', async () => {
    const batches = await readLive(
      '/api/live?type=track&event=Live%20One',
      async () => {
        await t.track('/v1/identify', { userId: 'live-u' })
        await t.track('/v1/track', { userId: 'live-u', event: 'Live One', messageId: 'live-1' })
        await t.track('/v1/track', { userId: 'live-u', event: 'Live Two' })
      },
      (b) => b.some((x) => x.events.length > 0)
    )
    const events = batches.flatMap((b) => b.events)
    expect(events.map((e) => e.messageId)).toEqual(['live-1'])
    expect(events[0]).toMatchObject({ type: 'track', name: 'Live One', userId: 'live-u' })
  })

  it('bounds a burst: at most 500 events per batch, the rest counted as dropped', async () => {
    const burst = Array.from({ length: 1200 }, (_, i) => ({ type: 'track', event: 'Burst', userId: 'b', messageId: `burst-live-${i}` }))
    const batches = await readLive(
      '/api/live?event=Burst',
      async () => void (await t.track('/v1/batch', { batch: burst })),
      (b) => b.reduce((n, x) => n + x.events.length + x.dropped, 0) >= 1200
    )
    expect(batches.every((b) => b.events.length <= 500)).toBe(true)
    expect(batches.reduce((n, b) => n + b.events.length + b.dropped, 0)).toBe(1200)
    expect(batches.reduce((n, b) => n + b.dropped, 0)).toBeGreaterThan(0)
  })

  it('needs the token like every admin route', async () => {
    const res = await fetch(`${t.baseUrl}/api/live`)
    expect(res.status).toBe(401)
  })
})
