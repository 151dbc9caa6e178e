// The real @segment/analytics-node client, unchanged, pointed at Loupe.

import { Analytics } from '@segment/analytics-node'
import { createServer, type Server } from 'node:http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRecord, EventsPage } from '../src-shared/api'
import { startTestEngine, type TestEngine, readJson } from '../src-main/engine/test-engine'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

async function stored(query: string): Promise<EventRecord[]> {
  const out: EventRecord[] = []
  let cursor: string | null = null
  do {
    const res = await t.admin(`/api/events?${query}&limit=500${cursor ? `&cursor=${cursor}` : ''}`)
    const page = (await readJson(res)) as EventsPage
    for (const summary of page.events) out.push((await t.get(`/api/events/${summary.id}`)) as EventRecord)
    cursor = page.nextCursor
  } while (cursor)
  return out
}

function client(writeKey: string, host = t.baseUrl, options: Partial<ConstructorParameters<typeof Analytics>[0]> = {}): Analytics {
  return new Analytics({ writeKey, host, flushInterval: 50, flushAt: 20, maxRetries: 3, ...options })
}

describe('@segment/analytics-node', () => {
  it('delivers all six call types with their fields', async () => {
    const analytics = client('wk_node_six')
    analytics.identify({ userId: 'user-1', traits: { email: 'ada@example.com', plan: 'pro' } })
    analytics.track({ userId: 'user-1', event: 'Order Completed', properties: { revenue: 9.99, currency: 'EUR' } })
    analytics.page({ userId: 'user-1', name: 'Home', category: 'Docs', properties: { url: 'https://example.com/' } })
    analytics.screen({ userId: 'user-1', name: 'Main Screen', properties: { variant: 'a' } })
    analytics.group({ userId: 'user-1', groupId: 'group-1', traits: { name: 'Acme' } })
    analytics.alias({ userId: 'user-1', previousId: 'anon-123' })
    analytics.track({
      anonymousId: 'anon-only-1',
      event: 'Anonymous Event',
      timestamp: new Date('2020-01-02T03:04:05.678Z'),
      messageId: 'custom-message-id-1',
      context: { ip: '1.2.3.4' },
      integrations: { All: false, Mixpanel: true }
    })
    await analytics.closeAndFlush()

    const source = (await t.get('/api/sources')).sources.find((s: { writeKey: string }) => s.writeKey === 'wk_node_six')
    const events = await stored(`source=${source.id}`)
    expect(events.map((e) => e.type).sort()).toEqual(['alias', 'group', 'identify', 'page', 'screen', 'track', 'track'])
    const byType = (type: string, name?: string) => events.find((e) => e.type === type && (name === undefined || e.name === name))!

    expect(byType('identify').payload.traits).toEqual({ email: 'ada@example.com', plan: 'pro' })
    expect(byType('track', 'Order Completed').payload.properties).toEqual({ revenue: 9.99, currency: 'EUR' })
    expect(byType('page')).toMatchObject({ name: 'Home', userId: 'user-1' })
    expect(byType('page').payload.properties).toMatchObject({ category: 'Docs', url: 'https://example.com/' })
    expect(byType('screen').name).toBe('Main Screen')
    expect(byType('group').payload.groupId).toBe('group-1')
    expect(byType('alias').payload.previousId).toBe('anon-123')
    for (const event of events) {
      expect(event.payload.context).toMatchObject({ library: { name: '@segment/analytics-node' } })
      expect(event.messageIdGenerated).toBe(false)
      expect(event.sentAt).not.toBeNull()
    }

    const anonymous = byType('track', 'Anonymous Event')
    expect(anonymous).toMatchObject({ anonymousId: 'anon-only-1', userId: null, messageId: 'custom-message-id-1' })
    expect(anonymous.payload.integrations).toEqual({ All: false, Mixpanel: true })
    expect(anonymous.payload.context).toMatchObject({ ip: '1.2.3.4' })
    // A historical timestamp is corrected by the client's own skew (sentAt vs. receivedAt), which is tiny here.
    expect(anonymous.originalTimestamp).toBe('2020-01-02T03:04:05.678Z')
    const skew = Date.parse(anonymous.receivedAt) - Date.parse(anonymous.sentAt!)
    expect(Date.parse(anonymous.timestamp)).toBe(Date.parse('2020-01-02T03:04:05.678Z') + skew)
    expect(Math.abs(skew)).toBeLessThan(5000)
  })

  it('delivers a large batch: 2,000 events, every one stored once', async () => {
    const analytics = client('wk_node_large', t.baseUrl, { flushAt: 500 })
    for (let i = 0; i < 2000; i++) analytics.track({ userId: `u-${i % 50}`, event: 'Bulk', properties: { i, padding: 'p'.repeat(200) } })
    await analytics.closeAndFlush()
    const source = (await t.get('/api/sources')).sources.find((s: { writeKey: string }) => s.writeKey === 'wk_node_large')
    expect(source.eventCount).toBe(2000)
    const res = await t.admin(`/api/events?source=${source.id}&q=padding&limit=1`)
    expect(((await readJson(res)) as EventsPage).events).toHaveLength(1)
  })

  it('does not store a retried batch twice when the first answer was lost', async () => {
    // A loopback proxy forwards the first request to Loupe (which commits it) but tells the client
    // it failed, as a dropped connection would. The client retries the very same batch.
    let attempts = 0
    const proxy: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = []
      for await (const chunk of req) chunks.push(chunk as Buffer)
      attempts++
      const upstream = await fetch(`${t.baseUrl}${req.url}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: req.headers.authorization! }, body: Buffer.concat(chunks) })
      await upstream.arrayBuffer()
      res.writeHead(attempts === 1 ? 500 : upstream.status, { 'content-type': 'application/json' }).end('{}')
    })
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve))
    const port = (proxy.address() as { port: number }).port
    try {
      const analytics = client('wk_node_retry', `http://127.0.0.1:${port}`)
      for (let i = 0; i < 5; i++) analytics.track({ userId: 'retry-user', event: 'Retried', properties: { i } })
      await analytics.closeAndFlush()
      expect(attempts).toBeGreaterThanOrEqual(2)
      const source = (await t.get('/api/sources')).sources.find((s: { writeKey: string }) => s.writeKey === 'wk_node_retry')
      expect(source.eventCount).toBe(5)
      expect(await stored(`source=${source.id}`)).toHaveLength(5)
    } finally {
      await new Promise((resolve) => proxy.close(resolve))
    }
  })
})
