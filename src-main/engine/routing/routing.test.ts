// Routing end to end: a real engine, real webhook requests to a receiver on loopback that answers as told.

import { createHmac } from 'node:crypto'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryAttempt, Destination, EventDelivery, WebhookSettings } from '../../../src-shared/api'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'
import { Receiver } from './test-receiver'

let t: TestEngine
let receiver: Receiver
const tempDir = useTempDirs('loupe-routing-')

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function source(writeKey: string): Promise<number> {
  const res = await t.admin('/api/sources', { method: 'POST', ...json({ name: writeKey, writeKey }) })
  return (await readJson(res)).id
}

async function destination(body: Record<string, unknown>): Promise<Destination> {
  const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Hook', kind: 'webhook', ...body }) })
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return readJson(res)
}

async function attempts(id: number): Promise<DeliveryAttempt[]> {
  return (await t.get(`/api/destinations/${id}/attempts?limit=500`)).attempts
}

async function deliveryOf(messageId: string): Promise<EventDelivery[]> {
  const event = (await t.get(`/api/events?messageId=${messageId}`)).events[0]
  return (await t.get(`/api/events/${event.id}/deliveries`)).deliveries
}

const track = (i: number, extra: Record<string, unknown> = {}) => ({ type: 'track', event: 'Routed', userId: 'u', messageId: `${extra.tag ?? 'r'}-${i}`, properties: { i }, ...extra })

beforeAll(async () => {
  t = await startTestEngine({}, (config) => {
    config.routing.backoffBaseMs = 50
    config.routing.backoffMaxMs = 200
  })
})
afterAll(async () => {
  await t.stop()
})
afterEach(async () => {
  for (const d of (await t.get('/api/destinations')).destinations) await t.admin(`/api/destinations/${d.id}`, { method: 'DELETE' })
  await receiver?.close()
})

describe('webhook delivery', () => {
  it('a destination left with one source still starts that source where it was connected (the one-source read)', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const first = await source('wk_route_one_a')
    const second = await source('wk_route_one_b')
    const d = await destination({ settings: { url: receiver.url }, sourceIds: [first] })
    await t.track('/v1/track', track(1, { tag: 'one-a' }), 'wk_route_one_a')
    await expect.poll(() => receiver.events().length).toBe(1)
    // Stored after the cursor but before the second source is connected: never this destination's.
    await t.track('/v1/track', track(0, { tag: 'one-old' }), 'wk_route_one_b')
    await t.admin(`/api/destinations/${d.id}`, { method: 'PATCH', ...json({ sourceIds: [first, second] }) })
    // Back to one source, whose connection began after the cursor's own start.
    await t.admin(`/api/destinations/${d.id}`, { method: 'PATCH', ...json({ sourceIds: [second] }) })
    await t.track('/v1/track', track(2, { tag: 'one-b' }), 'wk_route_one_b')
    await expect.poll(() => receiver.events().length).toBe(2)
    expect(receiver.events().map((e) => e.messageId)).toEqual(['one-a-1', 'one-b-2'])
  })

  it('delivers each event once, in order, in Segment’s shape; a new connection starts from now', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const web = await source('wk_route_web')
    await t.track('/v1/track', track(0, { tag: 'before' }), 'wk_route_web')
    const d = await destination({ settings: { url: receiver.url, batch: true, batchSize: 4 }, sourceIds: [web] })
    expect(d.status).toMatchObject({ cursor: expect.any(Number), pending: 0, failed: 0 })

    await t.track('/v1/batch', { batch: Array.from({ length: 10 }, (_, i) => track(i)), sentAt: new Date().toISOString() }, 'wk_route_web')
    await expect.poll(() => receiver.events().length).toBe(10)
    const events = receiver.events()
    expect(events.map((e) => e.messageId)).toEqual(Array.from({ length: 10 }, (_, i) => `r-${i}`))
    expect(events[0]).toMatchObject({ type: 'track', event: 'Routed', userId: 'u', properties: { i: 0 }, receivedAt: expect.any(String), timestamp: expect.any(String), sentAt: expect.any(String) })
    expect(events[0].writeKey).toBeUndefined()
    expect(receiver.received.every((r) => r.body.batch.length <= 4)).toBe(true)
    expect(receiver.events().some((e) => e.messageId === 'before-0')).toBe(false)

    await expect.poll(async () => (await attempts(d.id)).filter((a) => a.outcome === 'delivered').length).toBe(3)
    expect((await deliveryOf('r-3'))[0]).toMatchObject({ destinationId: d.id, status: 'delivered' })
    expect(await deliveryOf('before-0')).toEqual([])
    const status = (await t.get(`/api/destinations/${d.id}`)).status
    expect(status).toMatchObject({ state: 'idle', pending: 0 })
  })

  it('retries 5xx and network errors with backoff, then delivers everything once', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const src = await source('wk_route_retry')
    receiver.answers = [{ status: 500 }, { status: 503 }]
    const d = await destination({ settings: { url: receiver.url, batch: true }, sourceIds: [src] })
    await t.track('/v1/batch', { batch: [track(1, { tag: 'retry' }), track(2, { tag: 'retry' })] }, 'wk_route_retry')
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(3)
    // The same batch three times (at-least-once), then delivered; nothing after.
    expect(receiver.received.map((r) => r.body.batch.map((e: any) => e.messageId).join())).toEqual(['retry-1,retry-2', 'retry-1,retry-2', 'retry-1,retry-2'])
    await expect.poll(async () => (await attempts(d.id)).map((a) => a.outcome).reverse()).toEqual(['retry', 'retry', 'delivered'])
    const [first] = await attempts(d.id).then((a) => a.reverse())
    expect(first).toMatchObject({ httpStatus: 500, error: 'HTTP 500', requestSample: expect.stringContaining('retry-1') })
  })

  it('honours Retry-After on a 429', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const src = await source('wk_route_429')
    receiver.answers = [{ status: 429, headers: { 'retry-after': '1' } }]
    await destination({ settings: { url: receiver.url }, sourceIds: [src] })
    await t.track('/v1/track', track(1, { tag: 'limited' }), 'wk_route_429')
    await expect.poll(() => receiver.received.length, { timeout: 10_000 }).toBe(2)
    // The backoff alone would have retried after ~50 ms; the destination asked for a second.
    expect(receiver.received[1]!.at - receiver.received[0]!.at).toBeGreaterThanOrEqual(950)
  })

  it('sends events a 4xx refused to the dead letters and moves on', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const src = await source('wk_route_400')
    receiver.answers = [{ status: 400 }]
    const d = await destination({ settings: { url: receiver.url }, sourceIds: [src] })
    await t.track('/v1/track', track(1, { tag: 'bad' }), 'wk_route_400')
    await expect.poll(() => receiver.received.length).toBe(1)
    await t.track('/v1/track', track(2, { tag: 'bad' }), 'wk_route_400')
    await expect.poll(() => receiver.received.length).toBe(2)
    await expect.poll(async () => (await deliveryOf('bad-1'))[0]?.status).toBe('failed')
    expect((await deliveryOf('bad-1'))[0]).toMatchObject({ reason: 'HTTP 400' })
    await expect.poll(async () => (await deliveryOf('bad-2'))[0]?.status).toBe('delivered')
    expect((await t.get(`/api/destinations/${d.id}`)).status.failed).toBe(1)
  })

  it('honours the integrations object (All: false, or this destination by name)', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const src = await source('wk_route_int')
    await destination({ name: 'My Hook', settings: { url: receiver.url }, sourceIds: [src] })
    await t.track('/v1/batch', {
      batch: [
        track(1, { tag: 'int', integrations: { All: false } }),
        track(2, { tag: 'int', integrations: { All: false, 'My Hook': true } }),
        track(3, { tag: 'int', integrations: { Webhooks: false } }),
        track(4, { tag: 'int' })
      ]
    }, 'wk_route_int')
    await expect.poll(async () => (await deliveryOf('int-4'))[0]?.status).toBe('delivered')
    expect(receiver.events().map((e) => e.messageId)).toEqual(['int-2', 'int-4'])
    expect((await deliveryOf('int-1'))[0]).toMatchObject({ status: 'filtered', reason: expect.stringMatching(/integrations/) })
    expect((await deliveryOf('int-3'))[0]?.status).toBe('filtered')
  })

  it('signs requests with an HMAC of the body and never shows the secret again', async () => {
    receiver = new Receiver()
    await receiver.listen()
    const src = await source('wk_route_sig')
    const d = await destination({ settings: { url: receiver.url, signingSecret: 'shh-very-secret', headers: { 'X-Api-Key': 'k1' } }, sourceIds: [src] })
    expect((d.settings as WebhookSettings).signingSecret).toBe('••••cret')
    await t.track('/v1/track', track(1, { tag: 'sig' }), 'wk_route_sig')
    await expect.poll(() => receiver.received.length).toBe(1)
    const { headers, raw } = receiver.received[0]!
    expect(headers['x-loupe-signature']).toBe(`sha256=${createHmac('sha256', 'shh-very-secret').update(raw).digest('hex')}`)
    expect(headers['x-api-key']).toBe('k1')
    // Saving the masked value back keeps the secret.
    await t.admin(`/api/destinations/${d.id}`, { method: 'PATCH', ...json({ settings: { ...d.settings, url: receiver.url } }) })
    await t.track('/v1/track', track(2, { tag: 'sig' }), 'wk_route_sig')
    await expect.poll(() => receiver.received.length).toBe(2)
    expect(receiver.received[1]!.headers['x-loupe-signature']).toBe(`sha256=${createHmac('sha256', 'shh-very-secret').update(receiver.received[1]!.raw).digest('hex')}`)
  })

  it('refuses bad settings with the field named', async () => {
    for (const [settings, field] of [
      [{ url: 'ftp://x' }, 'settings.url'],
      [{ url: 'http://x', headers: { 'X-A': 'one\r\nX-Injected: two' } }, 'settings.headers.X-A'],
      [{ url: 'http://x', batchSize: 0 }, 'settings.batchSize'],
      [{ url: 'http://x', colour: 'red' }, 'settings.colour'],
      [{ url: 'http://user:pw@x/hook' }, 'settings.url'],
      [{ url: 'http://x', headers: { 'Content-Length': '5' } }, 'settings.headers.Content-Length']
    ] as const) {
      const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'webhook', settings }) })
      expect(res.status).toBe(400)
      expect((await readJson(res)).error.field).toBe(field)
    }
    const proc = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'file', settings: { folder: '/proc/self' } }) })
    expect((await readJson(proc)).error.field).toBe('settings.folder')
    const unknownSource = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'webhook', settings: { url: 'http://x' }, sourceIds: [99999] }) })
    expect((await readJson(unknownSource)).error.field).toBe('sourceIds')
  })
})

describe('durability of delivery', () => {
  it('resumes where it stopped after a restart: nothing lost while the receiver was down', async () => {
    const dataDir = tempDir()
    const down = new Receiver()
    await down.listen()
    const port = down.port
    await down.close() // the destination's address now refuses connections
    const first = await startTestEngine({ dataDir }, (config) => ((config.routing.backoffBaseMs = 50), (config.routing.backoffMaxMs = 100)))
    const src = (await readJson(await first.admin('/api/sources', { method: 'POST', ...json({ name: 's', writeKey: 'wk_resume' }) }))).id
    const res = await first.admin('/api/destinations', { method: 'POST', ...json({ name: 'Later', kind: 'webhook', settings: { url: `http://127.0.0.1:${port}/hook`, batch: true }, sourceIds: [src] }) })
    const id = (await readJson(res)).id
    await first.track('/v1/batch', { batch: Array.from({ length: 5 }, (_, i) => track(i, { tag: 'resume' })) }, 'wk_resume')
    await expect.poll(async () => (await first.get(`/api/destinations/${id}/attempts`)).attempts.length).toBeGreaterThan(1)
    expect((await first.get(`/api/destinations/${id}`)).status).toMatchObject({ pending: 5, lastError: expect.any(String) })
    await first.stop({ keepData: true })

    receiver = new Receiver()
    await receiver.listen(port)
    const second = await startTestEngine({ dataDir })
    try {
      await expect.poll(() => receiver.events().length, { timeout: 10_000 }).toBe(5)
      expect(receiver.events().map((e) => e.messageId)).toEqual(Array.from({ length: 5 }, (_, i) => `resume-${i}`))
      await expect.poll(async () => (await second.get(`/api/destinations/${id}`)).status.pending).toBe(0)
    } finally {
      await second.stop()
    }
  })

  it('gives up a batch after the retry window and records its events as expired', async () => {
    const expiring = await startTestEngine({}, (config) => ((config.routing.retryWindowMs = 300), (config.routing.backoffBaseMs = 50), (config.routing.backoffMaxMs = 100)))
    try {
      receiver = new Receiver()
      await receiver.listen()
      receiver.answers = Array.from({ length: 1000 }, () => ({ status: 503 }))
      const src = (await readJson(await expiring.admin('/api/sources', { method: 'POST', ...json({ name: 's', writeKey: 'wk_expire' }) }))).id
      const id = (await readJson(await expiring.admin('/api/destinations', { method: 'POST', ...json({ name: 'Down', kind: 'webhook', settings: { url: receiver.url }, sourceIds: [src] }) }))).id
      await expiring.track('/v1/track', track(1, { tag: 'exp' }), 'wk_expire')
      await expect.poll(async () => (await expiring.get(`/api/destinations/${id}/attempts`)).attempts[0]?.outcome, { timeout: 10_000 }).toBe('expired')
      const event = (await expiring.get('/api/events?messageId=exp-1')).events[0]
      expect((await expiring.get(`/api/events/${event.id}/deliveries`)).deliveries[0]).toMatchObject({ status: 'expired' })
    } finally {
      await expiring.stop()
    }
  })
})

describe('retention and destinations', () => {
  it('records events deleted before delivery as expired and moves the destination on', async () => {
    const dataDir = tempDir()
    const first = await startTestEngine({ dataDir, maxEvents: '0' })
    const src = (await readJson(await first.admin('/api/sources', { method: 'POST', ...json({ name: 's', writeKey: 'wk_ret' }) }))).id
    // A destination that is never reachable while the events pile up.
    const id = (await readJson(await first.admin('/api/destinations', { method: 'POST', ...json({ name: 'Far', kind: 'webhook', settings: { url: 'http://127.0.0.1:9/hook', batch: true }, sourceIds: [src] }) }))).id
    await first.track('/v1/batch', { batch: Array.from({ length: 30 }, (_, i) => track(i, { tag: 'ret' })) }, 'wk_ret')
    await first.stop({ keepData: true })
    // Retention keeps 10: the store thread of the next start deletes the 20 oldest before delivery.
    const second = await startTestEngine({ dataDir, maxEvents: '10' })
    try {
      await expect.poll(async () => (await second.get(`/api/destinations/${id}/attempts?limit=500`)).attempts.some((a: DeliveryAttempt) => a.outcome === 'expired')).toBe(true)
      const expired = (await second.get(`/api/destinations/${id}/attempts?limit=500`)).attempts.find((a: DeliveryAttempt) => a.outcome === 'expired')
      expect(expired.error).toMatch(/^20 events deleted by retention/)
      expect((await second.get(`/api/destinations/${id}`)).status.pending).toBe(10)
    } finally {
      await second.stop()
    }
  })
})

describe('Segment-compatible forward', () => {
  it('forwards to another Loupe as /v1/batch, keeping messageIds (a resent batch is not stored twice)', async () => {
    const downstream = await startTestEngine()
    try {
      const src = await source('wk_fwd_up')
      const d = await destination({ name: 'Downstream', kind: 'segment', settings: { url: downstream.baseUrl, writeKey: 'wk_fwd_down' }, sourceIds: [src] })
      expect((d.settings as { writeKey: string }).writeKey).toBe('••••')
      await t.track('/v1/batch', { batch: [track(1, { tag: 'fwd', context: { app: { name: 'shop' } } }), { type: 'identify', userId: 'fwd-user', messageId: 'fwd-2', traits: { plan: 'pro' } }] }, 'wk_fwd_up')
      await expect.poll(async () => (await downstream.get('/api/stats')).events.total).toBe(2)
      const stored = await downstream.get('/api/events?messageId=fwd-1')
      const event = await downstream.get(`/api/events/${stored.events[0].id}`)
      expect(event).toMatchObject({ type: 'track', name: 'Routed', userId: 'u', messageId: 'fwd-1' })
      expect(event.payload.context).toEqual({ app: { name: 'shop' } })
      const sources = (await downstream.get('/api/sources')).sources
      expect(sources.map((s: { writeKey: string }) => s.writeKey)).toEqual(['wk_fwd_down'])
      expect((await deliveryOf('fwd-2'))[0]).toMatchObject({ destinationName: 'Downstream', status: 'delivered' })
    } finally {
      await downstream.stop()
    }
  })
})
