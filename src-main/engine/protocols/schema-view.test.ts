import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../../../src-shared/api'
import type { SourceSchema } from '../../../src-shared/plans'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { parseFullKey, SchemaScanner } from './schema-view'

let t: TestEngine
let source: Source

const json = (body: unknown): RequestInit => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  t = await startTestEngine()
  source = (await readJson(await t.admin('/api/sources', json({ name: 'Web' })))) as Source
  const batch = [
    { type: 'track', userId: 'u1', event: 'Order Completed', properties: { total: 10, currency: 'EUR', items: [{ sku: 'a', qty: 1 }, { sku: 'b' }] } },
    { type: 'track', userId: 'u2', event: 'Order Completed', properties: { total: 12.5, currency: null, 'a.b': true, items: [] } },
    { type: 'identify', userId: 'u1', traits: { email: 'x@example.com', address: { city: 'Paris' } } },
    { type: 'page', userId: 'u1', name: 'Home', properties: { path: '/' } },
    { type: 'alias', userId: 'u1', previousId: 'anon' }
  ]
  expect((await t.track('/v1/batch', { batch }, source.writeKey)).status).toBe(200)
})
afterAll(async () => {
  await t.stop()
})

describe('GET /api/sources/:id/schema', () => {
  it('lists every event and flattened property path with types, counts and an example', async () => {
    const schema = (await t.get(`/api/sources/${source.id}/schema`)) as SourceSchema
    expect(schema.sourceId).toBe(source.id)
    expect(schema.scanned).toBe(5)
    const order = schema.events.find((e) => e.type === 'track' && e.name === 'Order Completed')!
    expect(order).toMatchObject({ count: 2, planned: null, firstSeen: expect.any(String), lastSeen: expect.any(String) })
    const byPath = Object.fromEntries(order.properties.map((p) => [p.path, p]))
    expect(Object.keys(byPath).sort()).toEqual(['a.b', 'currency', 'items', 'items.$', 'items.$.qty', 'items.$.sku', 'total'])
    expect(byPath.total).toMatchObject({ types: ['integer', 'number'], count: 2 })
    expect(byPath.currency).toMatchObject({ types: ['null', 'string'], count: 2 })
    // Two items in one event count as one event holding the path.
    expect(byPath['items.$.sku']).toMatchObject({ types: ['string'], count: 1, example: expect.stringMatching(/^[ab]$/) })
    expect(byPath['items.$']).toMatchObject({ types: ['object'], example: null })
    expect(byPath['a.b']).toMatchObject({ types: ['boolean'], example: 'true' })

    const identify = schema.events.find((e) => e.type === 'identify')!
    expect(identify.name).toBeNull()
    expect(identify.properties.map((p) => p.path)).toEqual(['address', 'address.city', 'email'])
    expect(schema.events.find((e) => e.type === 'page')).toMatchObject({ name: 'Home', properties: [{ path: 'path', types: ['string'], example: '/' }] })
    expect(schema.events.find((e) => e.type === 'alias')).toMatchObject({ count: 1, properties: [] })
  })

  it('states how many events it scanned when limited, and refuses a bad limit or source', async () => {
    expect(((await t.get(`/api/sources/${source.id}/schema?limit=2`)) as SourceSchema).scanned).toBe(2)
    const bad = await t.admin(`/api/sources/${source.id}/schema?limit=0`)
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error).toMatchObject({ code: 'ERR_ADMIN_INVALID_QUERY', field: 'limit' })
    expect((await t.admin('/api/sources/99999/schema')).status).toBe(404)
  })

  it('marks events planned when the source has a plan', async () => {
    const created = await t.admin('/api/plans', json({ name: 'P', rules: [{ type: 'TRACK', key: 'Order Completed', jsonSchema: {} }] }))
    expect(created.status).toBe(201)
    const plan = await readJson(created)
    const connected = await t.admin(`/api/plans/${plan.id}`, { ...json({ sourceIds: [source.id] }), method: 'PATCH' })
    expect(connected.status).toBe(200)
    const schema = (await t.get(`/api/sources/${source.id}/schema`)) as SourceSchema
    expect(schema.events.find((e) => e.name === 'Order Completed')!.planned).toBe(true)
    expect(schema.events.find((e) => e.type === 'page')!.planned).toBe(false)
  })
})

describe('SchemaScanner', () => {
  it('adds up slices to the same answer as one pass', async () => {
    const db = t.engine.context.db
    const whole = await new SchemaScanner(db).scan({ sourceId: source.id })
    const sliced = await new SchemaScanner(db, 2).scan({ sourceId: source.id })
    expect(sliced).toEqual(whole)
    expect((await new SchemaScanner(db, 2).scan({ sourceId: source.id, limit: 3 })).scanned).toBe(3)
  })
})

describe('parseFullKey', () => {
  it('splits SQLite json_tree keys, quoted and indexed', () => {
    expect(parseFullKey('$.properties.items[3].sku')).toEqual(['properties', 'items', null, 'sku'])
    expect(parseFullKey('$.properties."a.b"."q\\"r"[0]')).toEqual(['properties', 'a.b', 'q"r', null])
    expect(parseFullKey('$.properties.""')).toEqual(['properties', ''])
  })
})
