// Validation at ingest and enforcement end to end: a real engine, real tracking requests, a webhook
// destination at a loopback receiver. What is stored stays what was sent; what is delivered follows the
// source's enforcement; quarantined events wait until released, then go out once.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination, EventRecord, EventSummary } from '../../../src-shared/api'
import type { ReleaseQuarantineResult, SourceEnforcement, ViolationsReport } from '../../../src-shared/enforcement'
import type { TrackingPlan } from '../../../src-shared/plans'
import { Receiver } from '../routing/test-receiver'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'

let t: TestEngine
let receiver: Receiver

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

const RULES = [
  {
    type: 'TRACK',
    key: 'Order Completed',
    jsonSchema: {
      type: 'object',
      properties: {
        properties: {
          type: 'object',
          required: ['total'],
          properties: { total: { type: 'number' }, currency: { enum: ['EUR', 'USD'] }, order_id: { type: 'string', pattern: '^ord_' } }
        }
      }
    }
  },
  { type: 'IDENTIFY', jsonSchema: { type: 'object', properties: { traits: { type: 'object', properties: { email: { type: 'string' } } } } } }
]

async function source(name: string): Promise<{ id: number; writeKey: string }> {
  return readJson(await t.admin('/api/sources', json('POST', { name, writeKey: `wk_${name.toLowerCase()}_validation` })))
}

async function plan(sourceIds: number[], rules: unknown[] = RULES): Promise<TrackingPlan> {
  const res = await t.admin('/api/plans', json('POST', { name: `Plan ${sourceIds.join('-')}`, rules, sourceIds }))
  expect(res.status).toBe(201)
  return readJson(res)
}

async function enforce(sourceId: number, settings: Partial<SourceEnforcement>): Promise<SourceEnforcement> {
  const res = await t.admin(`/api/sources/${sourceId}/enforcement`, json('PUT', settings))
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(200)
  return readJson(res)
}

async function webhook(sourceIds: number[]): Promise<Destination> {
  const res = await t.admin('/api/destinations', json('POST', { name: 'Hook', kind: 'webhook', settings: { url: receiver.url }, sourceIds }))
  expect(res.status).toBe(201)
  return readJson(res)
}

const byMessageId = async (messageId: string): Promise<EventRecord> => {
  const summary = (await t.get(`/api/events?messageId=${messageId}`)).events[0] as EventSummary
  return t.get(`/api/events/${summary.id}`) as Promise<EventRecord>
}

const order = (messageId: string, properties: Record<string, unknown>) => ({ type: 'track', userId: 'u-1', event: 'Order Completed', messageId, properties })

beforeAll(async () => {
  t = await startTestEngine()
  receiver = new Receiver()
  await receiver.listen()
})
afterAll(async () => {
  await t.stop()
  await receiver.close()
})

describe('validation at ingest', () => {
  it('stores each violation kind with its JSON pointer, expected and actual, in the event', async () => {
    const web = await source('Flags')
    await plan([web.id])
    const batch = [
      order('v-clean', { total: 10, currency: 'EUR', order_id: 'ord_1' }),
      order('v-type', { total: '10' }),
      order('v-missing', { currency: 'EUR' }),
      order('v-enum', { total: 1, currency: 'GBP' }),
      order('v-pattern', { total: 1, order_id: 'x_1' }),
      order('v-unplanned-prop', { total: 1, coupon: 'SPRING' }),
      { type: 'track', userId: 'u-1', event: 'Checkout Started', messageId: 'v-unplanned-event' },
      { type: 'identify', userId: 'u-1', messageId: 'v-trait', traits: { email: 'a@example.com', age: 30 } }
    ]
    expect((await t.track('/v1/batch', { batch }, web.writeKey)).status).toBe(200)
    // The single-message route: the body says no type, the route does.
    expect((await t.track('/v1/track', { userId: 'u-1', event: 'Order Completed', messageId: 'v-route', properties: { total: 'x' } }, web.writeKey)).status).toBe(200)

    const only = async (id: string) => (await byMessageId(id)).validation!.violations.map((v) => [v.kind, v.pointer, v.expected, v.actual])
    expect((await byMessageId('v-clean')).validation).toBeNull()
    expect(await only('v-type')).toEqual([['wrong_type', '/properties/total', 'number', '"10"']])
    expect(await only('v-missing')).toEqual([['missing_required', '/properties/total', 'required', null]])
    expect(await only('v-enum')).toEqual([['not_allowed', '/properties/currency', 'one of "EUR", "USD"', '"GBP"']])
    expect(await only('v-pattern')).toEqual([['not_allowed', '/properties/order_id', 'matching ^ord_', '"x_1"']])
    expect(await only('v-unplanned-prop')).toEqual([['unplanned_property', '/properties/coupon', null, '"SPRING"']])
    expect(await only('v-unplanned-event')).toEqual([['unplanned_event', '/event', null, '"Checkout Started"']])
    expect(await only('v-trait')).toEqual([['unplanned_property', '/traits/age', null, '30']])
    expect(await only('v-route')).toEqual([['wrong_type', '/properties/total', 'number', '"x"']])

    // Lists carry the count; the filter finds exactly the events with violations; payloads are untouched.
    const flagged = (await t.get(`/api/events?source=${web.id}&violations=1&limit=100`)).events as EventSummary[]
    expect(flagged.map((e) => e.messageId).sort()).toEqual(['v-enum', 'v-missing', 'v-pattern', 'v-route', 'v-trait', 'v-type', 'v-unplanned-event', 'v-unplanned-prop'])
    expect(flagged.every((e) => e.violations === 1 && e.quarantine === null)).toBe(true)
    expect((await byMessageId('v-unplanned-prop')).payload).toMatchObject({ properties: { total: 1, coupon: 'SPRING' } })
    const explain = t.engine.context.queries.explain({ violations: true, limit: 10 }).join(' | ')
    expect(explain).toContain('events_with_violations')
  })

  it('groups violations by event, kind and field with counts, trend and samples', async () => {
    const shop = await source('Report')
    await plan([shop.id])
    const batch = Array.from({ length: 6 }, (_, i) => order(`r-${i}`, { total: i < 4 ? 'wrong' : 1, ...(i === 5 ? { extra: true } : {}) }))
    expect((await t.track('/v1/batch', { batch }, shop.writeKey)).status).toBe(200)
    const report = (await t.get(`/api/violations?source=${shop.id}&range=1h`)) as ViolationsReport
    expect(report.eventsWithViolations).toBe(5)
    expect(report.bucketMs).toBe(300_000)
    const [first, second] = report.groups
    expect(first).toMatchObject({ sourceId: shop.id, eventType: 'track', event: 'Order Completed', kind: 'wrong_type', pointer: '/properties/total', expected: 'number', count: 4 })
    expect(first!.trend).toHaveLength(12)
    expect(first!.trend.reduce((a, b) => a + b, 0)).toBe(4)
    expect(first!.trend[11]).toBe(4)
    expect(first!.sampleEventIds).toHaveLength(4)
    expect(second).toMatchObject({ kind: 'unplanned_property', pointer: '/properties/extra', count: 1 })
    const sample = (await t.get(`/api/events/${first!.sampleEventIds[0]}`)) as EventRecord
    expect(sample.validation!.violations[0]!.pointer).toBe('/properties/total')

    const bad = await t.admin('/api/violations?range=2d')
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error.field).toBe('range')
  })
})

describe('enforcement', () => {
  it('quarantines blocked events; destinations skip them until a release sends each once', async () => {
    const strict = await source('Strict')
    await plan([strict.id])
    await enforce(strict.id, { unplannedEvents: 'block', violations: 'block' })
    const hook = await webhook([strict.id])
    const batch = [
      order('q-ok', { total: 5 }),
      { type: 'track', userId: 'u-1', event: 'Unplanned Thing', messageId: 'q-unplanned' },
      order('q-bad', { total: 'five' }),
      order('q-ok-2', { total: 6 })
    ]
    expect((await t.track('/v1/batch', { batch }, strict.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().filter((e) => e.messageId.startsWith('q-')).map((e) => e.messageId)).toEqual(['q-ok', 'q-ok-2'])

    const held = (await t.get(`/api/events?source=${strict.id}&quarantined=1`)).events as EventSummary[]
    expect(held.map((e) => e.messageId).sort()).toEqual(['q-bad', 'q-unplanned'])
    expect(held.every((e) => e.quarantine === 'held')).toBe(true)
    expect((await byMessageId('q-unplanned')).validation!.blockedBecause).toMatch(/unplanned event/)
    const deliveries = (await t.get(`/api/events/${held[0]!.id}/deliveries`)).deliveries
    expect(deliveries[0]).toMatchObject({ destinationId: hook.id, status: 'filtered' })

    const res = await t.admin(`/api/sources/${strict.id}/quarantine/release`, json('POST', { event: 'Unplanned Thing' }))
    const release = (await readJson(res)) as ReleaseQuarantineResult
    expect(release).toMatchObject({ released: 1, replays: [{ destinationId: hook.id }] })
    await expect.poll(() => receiver.events().filter((e) => e.messageId.startsWith('q-')).map((e) => e.messageId)).toEqual(['q-ok', 'q-ok-2', 'q-unplanned'])
    expect((await byMessageId('q-unplanned')).quarantine).toBe('released')
    expect((await byMessageId('q-bad')).quarantine).toBe('held')

    // Everything else held goes with the next release; nothing is sent twice, and live delivery never sends them.
    const rest = (await readJson(await t.admin(`/api/sources/${strict.id}/quarantine/release`, json('POST', {})))) as ReleaseQuarantineResult
    expect(rest.released).toBe(1)
    await expect.poll(() => receiver.events().filter((e) => e.messageId.startsWith('q-')).map((e) => e.messageId)).toEqual(['q-ok', 'q-ok-2', 'q-unplanned', 'q-bad'])
    expect(((await readJson(await t.admin(`/api/sources/${strict.id}/quarantine/release`, json('POST', {})))) as ReleaseQuarantineResult).released).toBe(0)
    expect((await t.track('/v1/track', order('q-after', { total: 1 }), strict.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().filter((e) => e.messageId.startsWith('q-')).length).toBe(5)
    expect(receiver.events().filter((e) => e.messageId === 'q-bad')).toHaveLength(1)
  })

  it('omits unplanned and offending properties from what is delivered, recorded in context.protocols', async () => {
    const lenient = await source('Omit')
    await plan([lenient.id])
    await enforce(lenient.id, { unplannedProperties: 'omit', violations: 'omit' })
    await webhook([lenient.id])
    expect((await t.track('/v1/track', order('o-1', { total: 1, currency: 'GBP', coupon: 'X', order_id: 'ord_9' }), lenient.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().find((e) => e.messageId === 'o-1')).toBeDefined()
    const delivered = receiver.events().find((e) => e.messageId === 'o-1')
    expect(delivered.properties).toEqual({ total: 1, order_id: 'ord_9' })
    expect(delivered.context.protocols).toMatchObject({
      sourceId: String(lenient.id),
      omitted: ['properties.coupon'],
      omitted_on_violation: ['properties.currency'],
      violations: expect.arrayContaining([{ type: 'Invalid Value', field: 'properties.currency', description: expect.any(String) }])
    })
    expect(delivered.context.protocols.omit).toBeUndefined()
    // Stored as sent.
    const stored = await byMessageId('o-1')
    expect(stored.payload).toMatchObject({ properties: { total: 1, currency: 'GBP', coupon: 'X' } })
    expect(stored.validation!.omitted.sort()).toEqual(['/properties/coupon', '/properties/currency'])
  })

  it('blocks a named event even without a plan ("block this event"), and takes new settings at once', async () => {
    const noisy = await source('Noisy')
    await enforce(noisy.id, { blockedEvents: ['Heartbeat'] })
    expect((await t.track('/v1/batch', { batch: [{ type: 'track', userId: 'u', event: 'Heartbeat', messageId: 'b-1' }, { type: 'track', userId: 'u', event: 'Kept', messageId: 'b-2' }] }, noisy.writeKey)).status).toBe(200)
    expect((await byMessageId('b-1')).quarantine).toBe('held')
    expect((await byMessageId('b-1')).validation!.blockedBecause).toMatch(/Heartbeat/)
    expect((await byMessageId('b-2')).quarantine).toBeNull()
    await enforce(noisy.id, { blockedEvents: [] })
    expect((await t.track('/v1/track', { userId: 'u', event: 'Heartbeat', messageId: 'b-3' }, noisy.writeKey)).status).toBe(200)
    expect((await byMessageId('b-3')).quarantine).toBeNull()
  })

  it('forwards a Violation Generated event per violation into the chosen source, once per event', async () => {
    const app = await source('Forwarding')
    const audit = await source('Audit')
    const p = await plan([app.id])
    await enforce(app.id, { forwardViolationsTo: audit.id })
    const body = { batch: [order('f-1', { total: 'x', coupon: 'y' }), order('f-clean', { total: 2 })] }
    expect((await t.track('/v1/batch', body, app.writeKey)).status).toBe(200)
    expect((await t.track('/v1/batch', body, app.writeKey)).status).toBe(200) // a client's retry
    const forwarded = (await t.get(`/api/events?source=${audit.id}`)).events as EventSummary[]
    expect(forwarded).toHaveLength(2)
    const events = await Promise.all(forwarded.map((e) => t.get(`/api/events/${e.id}`) as Promise<EventRecord>))
    const byType = Object.fromEntries(events.map((e) => [(e.payload.properties as any).violationType, e.payload]))
    expect(Object.keys(byType).sort()).toEqual(['Invalid Type', 'Unplanned Property'])
    expect(byType['Invalid Type']).toMatchObject({
      type: 'track',
      event: 'Violation Generated',
      userId: 'schema-violations',
      properties: { eventName: 'Order Completed', eventType: 'track', eventMessageID: 'f-1', sourceID: String(app.id), sourceName: 'Forwarding', sourceSlug: 'forwarding', trackingPlanID: String(p.id), trackingPlanName: p.name, violationField: 'properties.total' }
    })
  })

  it('refuses bad settings with the field named', async () => {
    const s = await source('Settings')
    const cases: [unknown, string][] = [
      [{ violations: 'drop' }, 'violations'],
      [{ unplannedEvents: 'omit' }, 'unplannedEvents'],
      [{ blockedEvents: ['ok', ''] }, 'blockedEvents[1]'],
      [{ forwardViolationsTo: s.id }, 'forwardViolationsTo'],
      [{ forwardViolationsTo: 999_999 }, 'forwardViolationsTo'],
      [{ colour: 'red' }, 'colour']
    ]
    for (const [body, field] of cases) {
      const res = await t.admin(`/api/sources/${s.id}/enforcement`, json('PUT', body))
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect((await readJson(res)).error.field).toBe(field)
    }
    expect((await t.admin('/api/sources/424242/enforcement')).status).toBe(404)
    const release = await t.admin(`/api/sources/${s.id}/quarantine/release`, json('POST', { eventIds: ['abc'] }))
    expect((await readJson(release)).error.field).toBe('eventIds[0]')
  })
})

describe('lifecycle', () => {
  it('validates with the new version as soon as a plan changes, and stops when it is disconnected', async () => {
    const s = await source('Versions')
    const p = await plan([s.id])
    expect((await t.track('/v1/track', order('l-1', { total: 1, coupon: 'A' }), s.writeKey)).status).toBe(200)
    expect((await byMessageId('l-1')).validation!.violations).toHaveLength(1)
    const withCoupon = structuredClone(RULES) as any[]
    withCoupon[0].jsonSchema.properties.properties.properties.coupon = { type: 'string' }
    expect((await t.admin(`/api/plans/${p.id}`, json('PATCH', { rules: withCoupon }))).status).toBe(200)
    expect((await t.track('/v1/track', order('l-2', { total: 1, coupon: 'A' }), s.writeKey)).status).toBe(200)
    expect((await byMessageId('l-2')).validation).toBeNull()
    expect((await t.track('/v1/track', order('l-3', { total: 'x' }), s.writeKey)).status).toBe(200)
    expect((await byMessageId('l-3')).validation).toMatchObject({ planId: p.id, planVersion: 2 })
    expect((await t.admin(`/api/plans/${p.id}`, json('PATCH', { sourceIds: [] }))).status).toBe(200)
    expect((await t.track('/v1/track', order('l-4', { total: 'x' }), s.writeKey)).status).toBe(200)
    expect((await byMessageId('l-4')).validation).toBeNull()
  })

  it('validates imported events too, and their violations leave with them when events are cleared', async () => {
    const s = await source('Imported')
    await plan([s.id])
    const ndjson = [order('i-1', { total: 'x' }), order('i-2', { total: 2 })].map((m) => JSON.stringify(m)).join('\n')
    const res = await t.admin(`/api/import?sourceId=${s.id}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: ndjson })
    expect(res.status).toBe(202)
    const job = await readJson(res)
    await expect.poll(async () => (await t.get(`/api/import/${job.id}`)).status).toBe('done')
    expect((await byMessageId('i-1')).violations).toBe(1)
    expect((await byMessageId('i-2')).violations).toBe(0)

    const count = () => t.engine.context.db.prepare('SELECT count(*) FROM event_violations WHERE source_id = ?').pluck().get(s.id)
    expect(count()).toBe(1)
    expect((await t.admin(`/api/sources/${s.id}/events`, { method: 'DELETE' })).status).toBe(200)
    expect(count()).toBe(0)
  })

  it('streams violation counts live and filters the live stream to events with violations', async () => {
    const s = await source('Live')
    await plan([s.id])
    const controller = new AbortController()
    const res = await t.admin(`/api/live?source=${s.id}&violations=1`, { signal: controller.signal })
    const reader = res.body!.getReader()
    const decoder = new TextDecoder()
    expect((await t.track('/v1/batch', { batch: [order('s-ok', { total: 1 }), order('s-bad', { total: 'x' })] }, s.writeKey)).status).toBe(200)
    let text = ''
    while (!text.includes('s-bad')) text += decoder.decode((await reader.read()).value, { stream: true })
    controller.abort()
    const events = text.split('\n').filter((l) => l.startsWith('data: ') && l.includes('"events"')).flatMap((l) => JSON.parse(l.slice(6)).events as EventSummary[])
    expect(events.map((e) => [e.messageId, e.violations])).toEqual([['s-bad', 1]])
  })
})

describe('enforcement cannot be talked around', () => {
  it('decides on every violation: 60 junk properties neither hide a wrong type nor survive omission', async () => {
    const s = await source('Junk')
    await plan([s.id])
    await enforce(s.id, { violations: 'block' })
    const junk = Object.fromEntries(Array.from({ length: 60 }, (_, i) => [`junk${i}`, i]))
    expect((await t.track('/v1/track', order('j-1', { ...junk, total: 'abc' }), s.writeKey)).status).toBe(200)
    const held = await byMessageId('j-1')
    expect(held.quarantine).toBe('held')
    // What is stored is capped, the schema violation first.
    expect(held.validation!.violations).toHaveLength(50)
    expect(held.validation!.violations[0]).toMatchObject({ kind: 'wrong_type', pointer: '/properties/total' })

    await enforce(s.id, { violations: 'allow', unplannedProperties: 'omit' })
    await webhook([s.id])
    expect((await t.track('/v1/track', order('j-2', { ...junk, total: 3 }), s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().find((e) => e.messageId === 'j-2')).toBeDefined()
    expect(receiver.events().find((e) => e.messageId === 'j-2').properties).toEqual({ total: 3 })
  })

  it('leaves out the array holding a bad item, and says so', async () => {
    const s = await source('Arrays')
    const rules = [{ type: 'TRACK', key: 'Tagged', jsonSchema: { properties: { properties: { type: 'object', properties: { tags: { type: 'array', items: { type: 'string' } }, n: { type: 'number' } } } } } }]
    await plan([s.id], rules)
    await enforce(s.id, { violations: 'omit' })
    await webhook([s.id])
    expect((await t.track('/v1/track', { userId: 'u', event: 'Tagged', messageId: 'a-1', properties: { tags: ['a', 7], n: 1 } }, s.writeKey)).status).toBe(200)
    await expect.poll(() => receiver.events().find((e) => e.messageId === 'a-1')).toBeDefined()
    const delivered = receiver.events().find((e) => e.messageId === 'a-1')
    expect(delivered.properties).toEqual({ n: 1 })
    expect(delivered.context.protocols.omitted_on_violation).toEqual(['properties.tags'])
    expect((await byMessageId('a-1')).validation!.violations[0]!.pointer).toBe('/properties/tags/1')
  })

  it('keeps released events that a destination refuses as failed events, to retry', async () => {
    const s = await source('Refused')
    await plan([s.id])
    await enforce(s.id, { unplannedEvents: 'block' })
    const hook = await webhook([s.id])
    expect((await t.track('/v1/track', { userId: 'u', event: 'Odd', messageId: 'x-1' }, s.writeKey)).status).toBe(200)
    receiver.answers.push({ status: 400, body: '{"error":"no"}' })
    const release = (await readJson(await t.admin(`/api/sources/${s.id}/quarantine/release`, json('POST', {})))) as ReleaseQuarantineResult
    expect(release.replays).toEqual([{ destinationId: hook.id, replayId: expect.any(Number) }])
    await expect.poll(async () => (await t.get(`/api/replays/${release.replays[0]!.replayId}`)).state).toBe('done')
    const event = await byMessageId('x-1')
    const deliveries = (await t.get(`/api/events/${event.id}/deliveries`)).deliveries
    expect(deliveries.find((d: any) => d.destinationId === hook.id)).toMatchObject({ status: 'failed' })
  })

  it('answers 400 naming the field for a bad report source and a non-object body', async () => {
    const bad = await t.admin('/api/violations?source=abc')
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error.field).toBe('source')
    const s = await source('Body')
    const res = await t.admin(`/api/sources/${s.id}/enforcement`, json('PUT', ['x']))
    expect(res.status).toBe(400)
    expect((await readJson(res)).error.field).toBe('body')
  })
})
