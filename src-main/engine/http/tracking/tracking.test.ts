import { gzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRecord, EventsPage, Source } from '../../../../src-shared/api'
import { basicAuth, startTestEngine, type TestEngine, readJson } from '../../test-engine'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

async function events(query: string): Promise<EventsPage> {
  const res = await t.admin(`/api/events?${query}`)
  expect(res.status).toBe(200)
  return (await readJson(res)) as EventsPage
}

async function eventByMessageId(messageId: string): Promise<EventRecord> {
  const page = await events(`messageId=${encodeURIComponent(messageId)}`)
  expect(page.events).toHaveLength(1)
  const res = await t.admin(`/api/events/${page.events[0]!.id}`)
  return (await readJson(res)) as EventRecord
}

describe('tracking routes', () => {
  it.each([
    ['/v1/identify', 'identify', { userId: 'u1', traits: { plan: 'pro' } }],
    ['/v1/track', 'track', { userId: 'u1', event: 'Signed Up' }],
    ['/v1/page', 'page', { anonymousId: 'a1', name: 'Home' }],
    ['/v1/screen', 'screen', { userId: 'u1', name: 'Main' }],
    ['/v1/group', 'group', { userId: 'u1', groupId: 'g1' }],
    ['/v1/alias', 'alias', { userId: 'u2', previousId: 'u1' }],
    ['/v1/i', 'identify', { userId: 'u1' }],
    ['/v1/t', 'track', { userId: 'u1', event: 'Short Path' }],
    ['/v1/p', 'page', { userId: 'u1' }],
    ['/v1/s', 'screen', { userId: 'u1' }],
    ['/v1/g', 'group', { userId: 'u1', groupId: 'g2' }],
    ['/v1/a', 'alias', { userId: 'u3', previousId: 'u2' }]
  ])('POST %s stores a %s', async (path, type, body) => {
    const messageId = `route-${path}-${Math.random()}`
    const res = await t.track(path, { ...body, messageId })
    expect(res.status).toBe(200)
    expect(await readJson(res)).toEqual({ success: true })
    const stored = await eventByMessageId(messageId)
    expect(stored.type).toBe(type)
    expect(stored.payload).toEqual({ ...body, messageId }) // stored exactly as sent
  })

  it.each(['/v1/batch', '/v1/import', '/v1/b', '/b'])('POST %s stores every message of a batch', async (path) => {
    const tag = `batch-${path}-${Math.random()}`
    const res = await t.track(path, {
      batch: [
        { type: 'track', event: 'A', userId: 'u', messageId: `${tag}-1` },
        { type: 'identify', userId: 'u', messageId: `${tag}-2` }
      ]
    })
    expect(res.status).toBe(200)
    expect((await eventByMessageId(`${tag}-1`)).name).toBe('A')
    expect((await eventByMessageId(`${tag}-2`)).type).toBe('identify')
  })

  it('merges a batch’s top-level context and integrations into each message (the message wins)', async () => {
    const res = await t.track('/v1/batch', {
      context: { ip: '10.0.0.1', app: { name: 'outer' } },
      integrations: { All: false },
      batch: [{ type: 'track', event: 'Merged', userId: 'u', messageId: 'merge-1', context: { app: { name: 'inner' } } }]
    })
    expect(res.status).toBe(200)
    const stored = await eventByMessageId('merge-1')
    expect(stored.payload.context).toEqual({ ip: '10.0.0.1', app: { name: 'inner' } })
    expect(stored.payload.integrations).toEqual({ All: false })
  })

  it('accepts text/plain (analytics.js), a missing Content-Type and writeKey in the body', async () => {
    const plain = await fetch(`${t.baseUrl}/v1/t`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain' },
      body: JSON.stringify({ writeKey: 'wk_body', userId: 'u', event: 'Plain', messageId: 'plain-1' })
    })
    expect(plain.status).toBe(200)
    const none = await fetch(`${t.baseUrl}/v1/track`, {
      method: 'POST',
      body: Buffer.from(JSON.stringify({ writeKey: 'wk_body', userId: 'u', event: 'NoType', messageId: 'none-1' }))
    })
    expect(none.status).toBe(200)
    const sources = (await t.get('/api/sources')) as { sources: Source[] }
    const source = sources.sources.find((s) => s.writeKey === 'wk_body')!
    expect(source.autoCreated).toBe(true)
    expect((await eventByMessageId('plain-1')).sourceId).toBe(source.id)
  })

  it('accepts a Basic header without the colon', async () => {
    const res = await fetch(`${t.baseUrl}/v1/track`, {
      method: 'POST',
      headers: { authorization: `Basic ${Buffer.from('wk_nocolon').toString('base64')}` },
      body: JSON.stringify({ userId: 'u', event: 'X', messageId: 'nocolon-1' })
    })
    expect(res.status).toBe(200)
    const sources = (await t.get('/api/sources')) as { sources: Source[] }
    expect(sources.sources.some((s) => s.writeKey === 'wk_nocolon')).toBe(true)
  })

  it('decompresses gzip bodies', async () => {
    const res = await fetch(`${t.baseUrl}/v1/batch`, {
      method: 'POST',
      headers: { authorization: basicAuth('wk_test'), 'content-encoding': 'gzip', 'content-type': 'application/json' },
      body: gzipSync(JSON.stringify({ batch: [{ type: 'track', event: 'Zipped', userId: 'u', messageId: 'gz-1' }] }))
    })
    expect(res.status).toBe(200)
    expect((await eventByMessageId('gz-1')).name).toBe('Zipped')
  })

  it('answers a retried batch with 200 and stores it once', async () => {
    const batch = { batch: [{ type: 'track', event: 'Once', userId: 'u', messageId: 'dup-1' }, { type: 'track', event: 'Once', userId: 'u', messageId: 'dup-2' }] }
    expect((await t.track('/v1/batch', batch)).status).toBe(200)
    expect((await t.track('/v1/batch', batch, 'wk_test', { 'x-retry-count': '1' })).status).toBe(200)
    expect((await events('event=Once')).events).toHaveLength(2)
  })

  it('stores each message byte for byte as the client sent it', async () => {
    const text = '{ "batch": [ {"type":"track", "event":"Caf\\u00e9",  "userId":"u", "messageId":"raw-1"} ] }'
    expect((await t.track('/v1/batch', text)).status).toBe(200)
    const row = t.engine.context.db.prepare("SELECT payload FROM events WHERE message_id = 'raw-1'").get() as { payload: string }
    expect(row.payload).toBe('{"type":"track", "event":"Caf\\u00e9",  "userId":"u", "messageId":"raw-1"}')
    expect((await eventByMessageId('raw-1')).name).toBe('Café')
  })

  it('stores what JSON.parse read when a batch key is repeated in disguise', async () => {
    const text = '{"batch":[{"type":"track","event":"Decoy","userId":"u","messageId":"decoy-1"}],"ba\\u0074ch":[{"type":"track","event":"Real","userId":"u","messageId":"real-1"}]}'
    expect((await t.track('/v1/batch', text)).status).toBe(200)
    expect((await events('messageId=decoy-1')).events).toHaveLength(0)
    expect((await eventByMessageId('real-1')).payload.event).toBe('Real')
  })

  it('keeps the same messageId from different sources apart', async () => {
    await t.track('/v1/track', { userId: 'u', event: 'Shared', messageId: 'shared-1' }, 'wk_one')
    await t.track('/v1/track', { userId: 'u', event: 'Shared', messageId: 'shared-1' }, 'wk_two')
    expect((await events('messageId=shared-1')).events).toHaveLength(2)
  })
})

describe('normalization', () => {
  it('corrects the timestamp for clock skew and keeps the original', async () => {
    // The device clock is 1 hour behind: it stamped the event 2 s before it sent it.
    const sentAt = new Date(Date.now() - 3600_000)
    const original = new Date(sentAt.getTime() - 2000)
    const before = Date.now()
    await t.track('/v1/track', { userId: 'u', event: 'Skewed', messageId: 'skew-1', timestamp: original.toISOString(), sentAt: sentAt.toISOString() })
    const stored = await eventByMessageId('skew-1')
    expect(stored.originalTimestamp).toBe(original.toISOString())
    expect(stored.sentAt).toBe(sentAt.toISOString())
    const received = Date.parse(stored.receivedAt)
    expect(received).toBeGreaterThanOrEqual(before - 5)
    expect(Date.parse(stored.timestamp)).toBe(received - 2000)
    expect(stored.payload.timestamp).toBe(original.toISOString())
  })

  it('keeps a manual timestamp without sentAt (historical import) and generates a missing messageId', async () => {
    await t.track('/v1/track', { userId: 'historic', event: 'Imported', timestamp: '2020-01-02T03:04:05.678Z' })
    const page = await events('userId=historic')
    const stored = (await t.get(`/api/events/${page.events[0]!.id}`)) as EventRecord
    expect(stored.timestamp).toBe('2020-01-02T03:04:05.678Z')
    expect(stored.messageIdGenerated).toBe(true)
    expect(stored.messageId).toMatch(/^loupe-[0-9a-f-]{36}$/)
    expect(stored.payload.messageId).toBeUndefined()
  })

  it('takes numeric timestamps as epoch milliseconds, rounded (one odd client cannot block the others)', async () => {
    const answers = await Promise.all([
      t.track('/v1/track', { userId: 'u', event: 'Numeric', messageId: 'num-1', timestamp: 1_700_000_000_000.5 }),
      t.track('/v1/track', { userId: 'u', event: 'Numeric', messageId: 'num-2' })
    ])
    expect(answers.map((a) => a.status)).toEqual([200, 200])
    expect((await eventByMessageId('num-1')).originalTimestamp).toBe(new Date(1_700_000_000_001).toISOString())
  })

  it('flags an unreadable timestamp instead of rejecting the event', async () => {
    await t.track('/v1/track', { userId: 'u', event: 'BadTime', messageId: 'badtime-1', timestamp: 'yesterday-ish' })
    const stored = await eventByMessageId('badtime-1')
    expect(stored.warnings.map((w) => w.code)).toContain('INVALID_TIMESTAMP')
  })
})

describe('Segment limits', () => {
  it('stores a message over 32 KB with a warning by default', async () => {
    const res = await t.track('/v1/track', { userId: 'u', event: 'Big', messageId: 'big-1', properties: { blob: 'x'.repeat(40 * 1024) } })
    expect(res.status).toBe(200)
    const stored = await eventByMessageId('big-1')
    expect(stored.warnings).toContainEqual({ code: 'SEGMENT_MESSAGE_SIZE', message: expect.stringMatching(/Segment would reject this: message is 40 KB > 32 KB/) })
  })

  it('flags every message of a batch over 500 KB', async () => {
    const batch = Array.from({ length: 20 }, (_, i) => ({ type: 'track', event: 'Chunky', userId: 'u', messageId: `chunky-${i}`, properties: { blob: 'y'.repeat(30 * 1024) } }))
    const res = await t.track('/v1/batch', { batch })
    expect(res.status).toBe(200)
    const stored = await eventByMessageId('chunky-7')
    expect(stored.warnings[0]!.code).toBe('SEGMENT_BATCH_SIZE')
  })

  it('mirrors Segment with --segment-limits reject', async () => {
    const strict = await startTestEngine({ segmentLimits: 'reject' })
    try {
      const res = await strict.track('/v1/track', { userId: 'u', event: 'Big', properties: { blob: 'x'.repeat(40 * 1024) } })
      expect(res.status).toBe(400)
      expect((await readJson(res)).error.code).toBe('ERR_SEGMENT_LIMIT_MESSAGE')
      const many = Array.from({ length: 2501 }, (_, i) => ({ type: 'identify', userId: `u${i}` }))
      const over = await strict.track('/v1/batch', { batch: many })
      expect(over.status).toBe(200)
      const body = await readJson(over)
      expect(body.rejected).toEqual([{ index: 2500, code: 'ERR_SEGMENT_LIMIT_BATCH_COUNT', message: expect.any(String), field: 'batch[2500]' }])
    } finally {
      await strict.stop()
    }
  })
})

describe('write keys', () => {
  it('refuses a request without any write key', async () => {
    const res = await fetch(`${t.baseUrl}/v1/track`, { method: 'POST', body: JSON.stringify({ userId: 'u', event: 'E' }) })
    expect(res.status).toBe(401)
    expect((await readJson(res)).error).toMatchObject({ code: 'ERR_AUTH_MISSING_WRITE_KEY', field: 'writeKey' })
  })

  it('with --strict-keys refuses unknown keys and accepts a created source', async () => {
    const strict = await startTestEngine({ strictKeys: true })
    try {
      const unknown = await strict.track('/v1/track', { userId: 'u', event: 'E' }, 'wk_nobody')
      expect(unknown.status).toBe(401)
      expect((await readJson(unknown)).error.code).toBe('ERR_AUTH_UNKNOWN_WRITE_KEY')
      const created = await strict.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Web', writeKey: 'wk_web' }) })
      expect(created.status).toBe(201)
      expect((await strict.track('/v1/track', { userId: 'u', event: 'E' }, 'wk_web')).status).toBe(200)
    } finally {
      await strict.stop()
    }
  })
})

describe('CORS on the tracking surface', () => {
  it('answers preflights from any origin and exposes Retry-After', async () => {
    const pre = await fetch(`${t.baseUrl}/v1/t`, {
      method: 'OPTIONS',
      headers: { origin: 'https://shop.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization,x-retry-count' }
    })
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe('*')
    expect(pre.headers.get('access-control-allow-headers')).toBe('authorization,x-retry-count')
    expect(pre.headers.get('access-control-allow-credentials')).toBeNull()
    const post = await t.track('/v1/t', { userId: 'u', event: 'Cors' }, 'wk_test', { origin: 'https://shop.example' })
    expect(post.headers.get('access-control-allow-origin')).toBe('*')
    expect(post.headers.get('access-control-expose-headers')).toContain('Retry-After')
  })

  it('never returns stored data', async () => {
    const res = await t.track('/v1/track', { userId: 'u', event: 'Secretive' })
    expect(await readJson(res)).toEqual({ success: true })
  })
})

describe('CDN emulation', () => {
  it('serves settings that point Segment.io at this server', async () => {
    const res = await fetch(`${t.baseUrl}/v1/projects/wk_cdn/settings`, { headers: { origin: 'http://127.0.0.1:9' } })
    expect(res.status).toBe(200)
    expect(res.headers.get('access-control-allow-origin')).toBe('*')
    const settings = await readJson(res)
    expect(settings.integrations['Segment.io']).toEqual({ apiKey: 'wk_cdn', apiHost: `127.0.0.1:${t.address.port}/v1`, protocol: 'http' })
  })

  it('serves analytics.min.js and its chunks from @segment/analytics-next', async () => {
    const script = await fetch(`${t.baseUrl}/analytics.js/v1/wk_cdn/analytics.min.js`)
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect((await script.text()).length).toBeGreaterThan(50_000)
    expect((await fetch(`${t.baseUrl}/analytics-next/bundles/..%2F..%2Fpackage.json`)).status).toBe(404)
    expect((await fetch(`${t.baseUrl}/analytics-next/bundles/nothing.bundle.js`)).status).toBe(404)
  })

  it('accepts analytics.js metrics', async () => {
    const res = await fetch(`${t.baseUrl}/v1/m`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ series: [] }) })
    expect(res.status).toBe(200)
  })
})

it('GET /health answers without auth and without data', async () => {
  const res = await fetch(`${t.baseUrl}/health`)
  expect(res.status).toBe(200)
  expect(await readJson(res)).toEqual({ status: 'ok' })
})
