// The PostgreSQL warehouse destination end to end: a real engine, real tracking requests, and a real PostgreSQL
// server started for the test (test-postgres.ts). What lands where is read back with SQL.

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination } from '../../../../src-shared/api'
import type { WarehouseStatus, WarehouseTestResult } from '../../../../src-shared/warehouse'
import { readJson, startTestEngine, type TestEngine } from '../../test-engine'
import { startTestPostgres, type TestPostgres } from './test-postgres'

let t: TestEngine
let pg: TestPostgres

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  pg = await startTestPostgres()
  t = await startTestEngine({}, (config) => {
    config.routing.backoffBaseMs = 100
    config.routing.backoffMaxMs = 300
    // Past the retry window other destinations give events up; a warehouse keeps them waiting (tested below).
    config.routing.retryWindowMs = 0
  })
}, 60_000)
afterAll(async () => {
  await t?.stop()
  await pg?.destroy()
})

async function source(name: string): Promise<{ id: number; writeKey: string }> {
  return readJson(await t.admin('/api/sources', json('POST', { name, writeKey: `wk_${name.toLowerCase().replace(/\W/g, '_')}_wh` })))
}

const settings = (extra: Record<string, unknown> = {}) => ({ host: pg.host, port: pg.port, database: 'postgres', user: pg.user, loadIntervalSeconds: 0, ...extra })

async function warehouse(sourceIds: number[], extra: Record<string, unknown> = {}): Promise<Destination> {
  const res = await t.admin('/api/destinations', json('POST', { name: `Warehouse ${sourceIds.join('-')}`, kind: 'warehouse', settings: settings(extra), sourceIds }))
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return readJson(res)
}

const rows = async (sql: string): Promise<any[]> => (await pg.query(sql)).rows
const count = async (table: string): Promise<number> => Number((await rows(`SELECT count(*) AS n FROM ${table}`))[0].n)
const columnsOf = async (schema: string, table: string): Promise<Record<string, string>> =>
  Object.fromEntries((await rows(`SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = '${schema}' AND table_name = '${table}'`)).map((r) => [r.column_name, r.data_type]))

describe('warehouse destination', () => {
  it('loads every call type into Segment’s tables, one schema per source', async () => {
    const shop = await source('Shop Web')
    await warehouse([shop.id])
    const context = { library: { name: 'analytics.js', version: '1.0' }, page: { path: '/cart' }, ip: '10.0.0.1' }
    const batch = [
      { type: 'track', messageId: 'w-track', userId: 'u-1', anonymousId: 'a-1', event: 'Order Completed', properties: { total: 12.5, currency: 'EUR', shipping: { method: 'express' }, items: ['a', 'b'] }, context },
      { type: 'identify', messageId: 'w-identify', userId: 'u-1', traits: { email: 'ada@example.com', plan: 'pro' }, context },
      { type: 'identify', messageId: 'w-identify-2', userId: 'u-1', traits: { plan: 'team', company: 'Acme' } },
      { type: 'page', messageId: 'w-page', anonymousId: 'a-1', name: 'Cart', properties: { title: 'Your cart' }, context },
      { type: 'screen', messageId: 'w-screen', userId: 'u-1', name: 'Home', properties: { variant: 'b' } },
      { type: 'group', messageId: 'w-group', userId: 'u-1', groupId: 'g-1', traits: { name: 'Acme', employees: 40 } },
      { type: 'alias', messageId: 'w-alias', userId: 'u-1', previousId: 'a-1' }
    ]
    expect((await t.track('/v1/batch', { batch }, shop.writeKey)).status).toBe(200)
    await expect.poll(() => count('shop_web.aliases').catch(() => 0), { timeout: 15_000 }).toBe(1)

    const [track] = await rows(`SELECT * FROM shop_web.tracks`)
    expect(track).toMatchObject({ id: 'w-track', event: 'order_completed', event_text: 'Order Completed', user_id: 'u-1', anonymous_id: 'a-1', context_library_name: 'analytics.js', context_ip: '10.0.0.1' })
    expect(track.received_at).toBeInstanceOf(Date)
    const [order] = await rows(`SELECT * FROM shop_web.order_completed`)
    expect(order).toMatchObject({ id: 'w-track', total: 12.5, currency: 'EUR', shipping_method: 'express', items: '["a","b"]', context_page_path: '/cart' })
    expect(await columnsOf('shop_web', 'order_completed')).toMatchObject({ total: 'double precision', currency: 'text', received_at: 'timestamp with time zone', uuid_ts: 'timestamp with time zone' })
    expect(await count('shop_web.identifies')).toBe(2)
    // users: the latest traits merged over the earlier ones.
    expect(await rows(`SELECT id, email, plan, company FROM shop_web.users`)).toEqual([{ id: 'u-1', email: 'ada@example.com', plan: 'team', company: 'Acme' }])
    expect(await rows(`SELECT id, name, title FROM shop_web.pages`)).toEqual([{ id: 'w-page', name: 'Cart', title: 'Your cart' }])
    expect(await rows(`SELECT id, name, variant FROM shop_web.screens`)).toEqual([{ id: 'w-screen', name: 'Home', variant: 'b' }])
    expect(await rows(`SELECT id, group_id, name, employees FROM shop_web.groups`)).toEqual([{ id: 'w-group', group_id: 'g-1', name: 'Acme', employees: 40 }])
    expect(await rows(`SELECT id, previous_id FROM shop_web.aliases`)).toEqual([{ id: 'w-alias', previous_id: 'a-1' }])

    // The admin API's status: tables with rows and columns, and a psql line without the password.
    const destination = (await t.get('/api/destinations')).destinations.find((d: Destination) => d.kind === 'warehouse')
    const status = (await t.get(`/api/destinations/${destination.id}/warehouse`)) as WarehouseStatus
    expect(status.reachable).toBe(true)
    expect(status.tables.map((x) => `${x.schema}.${x.name}:${x.rows}`).sort()).toEqual(['shop_web.aliases:1', 'shop_web.groups:1', 'shop_web.identifies:2', 'shop_web.order_completed:1', 'shop_web.pages:1', 'shop_web.screens:1', 'shop_web.tracks:1', 'shop_web.users:1'])
    expect(status.psql).toBe(`psql "host=${pg.host} port=${pg.port} dbname=postgres user=${pg.user}"`)
  })

  it('adds a column for a new property, keeps a conflicting value as text, and never duplicates on replay', async () => {
    const app = await source('Evolving')
    const destination = await warehouse([app.id])
    const send = (messageId: string, properties: Record<string, unknown>) => t.track('/v1/track', { userId: 'u', event: 'Checkout', messageId, properties }, app.writeKey)
    expect((await send('e-1', { price: 10 })).status).toBe(200)
    await expect.poll(() => count('evolving.checkout').catch(() => 0), { timeout: 15_000 }).toBe(1)
    expect((await send('e-2', { price: 11, coupon: 'SPRING' })).status).toBe(200)
    expect((await send('e-3', { price: 'twelve' })).status).toBe(200)
    await expect.poll(() => count('evolving.checkout'), { timeout: 15_000 }).toBe(3)
    expect(await columnsOf('evolving', 'checkout')).toMatchObject({ price: 'double precision', coupon: 'text', price_text: 'text' })
    expect(await rows(`SELECT id, price, price_text, coupon FROM evolving.checkout ORDER BY id`)).toEqual([
      { id: 'e-1', price: 10, price_text: null, coupon: null },
      { id: 'e-2', price: 11, price_text: null, coupon: 'SPRING' },
      { id: 'e-3', price: null, price_text: 'twelve', coupon: null }
    ])
    const status = (await t.get(`/api/destinations/${destination.id}/warehouse`)) as WarehouseStatus
    expect(status.conflicts).toContainEqual(expect.objectContaining({ schema: 'evolving', table: 'checkout', column: 'price', columnType: 'double precision', valueType: 'string', count: 1 }))

    // Replaying everything twice: the same rows, no more.
    for (let i = 0; i < 2; i++) {
      const res = await t.admin('/api/replays', json('POST', { destinationId: destination.id, sourceIds: [app.id] }))
      expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
      const job = await readJson(res)
      await expect.poll(async () => (await t.get(`/api/replays/${job.id}`)).state, { timeout: 15_000 }).toBe('done')
    }
    expect(await count('evolving.checkout')).toBe(3)
    expect(await count('evolving.tracks')).toBe(3)
  })

  it('retries while the warehouse is down and completes when it is back', async () => {
    const app = await source('Outage')
    const destination = await warehouse([app.id])
    await pg.stop('immediate')
    try {
      expect((await t.track('/v1/batch', { batch: Array.from({ length: 20 }, (_, i) => ({ type: 'track', userId: 'u', event: 'Tick', messageId: `o-${i}` })) }, app.writeKey)).status).toBe(200)
      await expect.poll(async () => (await t.get(`/api/destinations/${destination.id}`)).status.lastError, { timeout: 15_000 }).toMatch(/PostgreSQL|connect|ECONNREFUSED/)
    } finally {
      await pg.start()
    }
    await t.admin(`/api/destinations/${destination.id}/retry-now`, { method: 'POST' })
    await expect.poll(() => count('outage.tick').catch(() => 0), { timeout: 20_000 }).toBe(20)
  })

  it('never gives events up while the warehouse is down, and a failed scheduled load retries after its backoff', async () => {
    const app = await source('Long Outage')
    const destination = await warehouse([app.id], { loadIntervalSeconds: 3600 })
    await pg.stop('immediate')
    try {
      expect((await t.track('/v1/track', { userId: 'u', event: 'While Down', messageId: 'lo-1' }, app.writeKey)).status).toBe(200)
      await expect.poll(async () => (await t.get(`/api/destinations/${destination.id}`)).status.lastError, { timeout: 15_000 }).toMatch(/ECONNREFUSED|connect/)
    } finally {
      await pg.start()
    }
    // No expiry even with a zero retry window, and no hour-long wait for the next scheduled load.
    await expect.poll(() => count('long_outage.while_down').catch(() => 0), { timeout: 20_000 }).toBe(1)
    const attempts = (await t.get(`/api/destinations/${destination.id}/attempts?limit=50`)).attempts as { outcome: string }[]
    expect(attempts.some((a) => a.outcome === 'expired')).toBe(false)
  })

  it('loads on its schedule, and at once on "sync now"', async () => {
    const app = await source('Scheduled')
    const destination = await warehouse([app.id], { loadIntervalSeconds: 3600 })
    expect((await t.track('/v1/track', { userId: 'u', event: 'First', messageId: 's-1' }, app.writeKey)).status).toBe(200)
    // The first load starts at once; the next waits for the interval.
    await expect.poll(() => count('scheduled.first').catch(() => 0), { timeout: 15_000 }).toBe(1)
    // "Sync now" with nothing waiting loads nothing, and is not kept for the next event.
    expect((await t.admin(`/api/destinations/${destination.id}/sync`, { method: 'POST' })).status).toBe(200)
    await expect.poll(async () => (await t.get(`/api/destinations/${destination.id}`)).status.state).toBe('idle')
    expect((await t.track('/v1/track', { userId: 'u', event: 'First', messageId: 's-2' }, app.writeKey)).status).toBe(200)
    const status = (await t.get(`/api/destinations/${destination.id}/warehouse`)) as WarehouseStatus
    expect(status.nextLoadAt).not.toBeNull()
    expect(await count('scheduled.first')).toBe(1)
    expect((await t.admin(`/api/destinations/${destination.id}/sync`, { method: 'POST' })).status).toBe(200)
    await expect.poll(() => count('scheduled.first'), { timeout: 15_000 }).toBe(2)
  })

  it('pins each source’s schema when it is connected, so a rename does not split its data', async () => {
    const app = await source('Before Rename')
    const destination = await warehouse([app.id])
    expect((destination.settings as any).schemas).toEqual({ [String(app.id)]: 'before_rename' })
    expect((await t.admin(`/api/sources/${app.id}`, json('PATCH', { name: 'After Rename' }))).status).toBe(200)
    expect((await t.track('/v1/track', { userId: 'u', event: 'Renamed', messageId: 'r-1' }, app.writeKey)).status).toBe(200)
    await expect.poll(() => count('before_rename.renamed').catch(() => 0), { timeout: 15_000 }).toBe(1)
    // A source connected later gets its schema then.
    const other = await source('Later One')
    const patched = await t.admin(`/api/destinations/${destination.id}`, json('PATCH', { sourceIds: [app.id, other.id] }))
    expect(((await readJson(patched)) as any).settings.schemas).toEqual({ [String(app.id)]: 'before_rename', [String(other.id)]: 'later_one' })
  })

  it('deletes a user’s rows from every table it loaded when the user’s data is deleted (privacy)', async () => {
    const app = await source('Forgetful')
    await warehouse([app.id])
    const batch = [
      { type: 'identify', userId: 'wh-forget', messageId: 'p-1', traits: { plan: 'pro' } },
      { type: 'track', userId: 'wh-forget', messageId: 'p-2', event: 'Bought', properties: { total: 1 } },
      { type: 'track', userId: 'wh-keep', messageId: 'p-3', event: 'Bought', properties: { total: 2 } }
    ]
    expect((await t.track('/v1/batch', { batch }, app.writeKey)).status).toBe(200)
    await expect.poll(() => count('forgetful.bought').catch(() => 0), { timeout: 15_000 }).toBe(2)
    await expect.poll(() => count('forgetful.users').catch(() => 0), { timeout: 15_000 }).toBe(1)
    const started = await readJson(await t.admin('/api/privacy/deletions', json('POST', { userId: 'wh-forget', confirm: true })))
    await expect.poll(async () => (await t.get(`/api/privacy/deletions/${started.id}`)).state, { timeout: 15_000 }).toBe('done')
    // tracks + bought + identifies + users
    expect((await t.get(`/api/privacy/deletions/${started.id}`)).warehouseRows).toBe(4)
    expect(await rows(`SELECT id FROM forgetful.tracks ORDER BY id`)).toEqual([{ id: 'p-3' }])
    expect(await count('forgetful.users')).toBe(0)
    expect(await count('forgetful.identifies')).toBe(0)
  })

  it('tests the connection before saving, naming the setting to fix', async () => {
    const test = async (extra: Record<string, unknown>): Promise<WarehouseTestResult> => readJson(await t.admin('/api/warehouse/test', json('POST', { settings: settings(extra) })))
    expect(await test({})).toMatchObject({ ok: true, serverVersion: expect.stringMatching(/^PostgreSQL \d+/) })
    expect(await test({ database: 'nope' })).toMatchObject({ ok: false, field: 'database' })
    const closed = await test({ port: 1 })
    expect(closed).toMatchObject({ ok: false, field: 'port' })

    const refused = await t.admin('/api/destinations', json('POST', { name: 'Bad', kind: 'warehouse', settings: settings({ database: 'nope' }) }))
    expect(refused.status).toBe(400)
    expect((await readJson(refused)).error).toMatchObject({ code: 'ERR_ADMIN_WAREHOUSE_UNREACHABLE', field: 'settings.database' })
    const invalid = await t.admin('/api/destinations', json('POST', { name: 'Bad', kind: 'warehouse', settings: settings({ schemas: { '1': 'Not Snake' } }) }))
    expect((await readJson(invalid)).error.field).toBe('settings.schemas.1')
    for (const schemas of [{ '1': 'loupe_meta' }, { '1': 'same', '2': 'same' }]) {
      const refused = await t.admin('/api/destinations', json('POST', { name: 'Bad', kind: 'warehouse', settings: settings({ schemas }) }))
      expect(refused.status, JSON.stringify(schemas)).toBe(400)
      expect((await readJson(refused)).error.field).toMatch(/^settings\.schemas\.[12]$/)
    }
    // Two sources whose names make one schema get two: the second default takes its id.
    const web = await source('Twin')
    const twin = await source('twin!')
    const both = await warehouse([web.id, twin.id])
    expect((both.settings as any).schemas).toEqual({ [String(web.id)]: 'twin', [String(twin.id)]: `twin_${twin.id}` })

    // The password is sealed and never shown in full.
    const withPassword = await t.admin('/api/destinations', json('POST', { name: 'Secret', kind: 'warehouse', settings: settings({ password: 'correct-horse-battery' }) }))
    expect(withPassword.status).toBe(201)
    expect(((await readJson(withPassword)) as Destination).settings).toMatchObject({ password: expect.stringMatching(/^•+tery$/) })
  })
})
