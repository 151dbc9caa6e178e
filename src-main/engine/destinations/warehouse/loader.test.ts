// The loader against a real PostgreSQL (test-postgres.ts), below the engine: hostile values through COPY,
// columns made by hand, rollback of a refused load, and loads in flight on a schema that does not exist yet.

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { poolFor } from './connection'
import { META_SCHEMA, WarehouseLoader } from './loader'
import { startTestPostgres, type TestPostgres } from './test-postgres'

let db: TestPostgres
let pool: pg.Pool

beforeAll(async () => {
  db = await startTestPostgres()
  pool = db.pool(4)
})
afterAll(async () => {
  await db?.destroy()
})

const rows = async (sql: string): Promise<any[]> => (await db.query(sql)).rows

/** An analyst's transaction left open after `sql`: the locks it took hold until it ends. */
async function analystIn(sql: string): Promise<pg.Client> {
  const analyst = new pg.Client({ host: db.host, port: db.port, user: db.user, database: db.database })
  await analyst.connect()
  await analyst.query('BEGIN')
  await analyst.query(sql)
  return analyst
}
const TIME = '2026-11-01T10:00:00.000Z'
const track = (messageId: string, event: string, properties: Record<string, unknown>, userId = 'u-1') => ({ type: 'track', messageId, userId, event, properties, receivedAt: TIME, sentAt: TIME, timestamp: TIME })
const identify = (messageId: string, userId: string, traits: Record<string, unknown>) => ({ type: 'identify', messageId, userId, traits, receivedAt: TIME, sentAt: TIME, timestamp: TIME })

describe('WarehouseLoader', () => {
  it('loads hostile strings exactly, one row per event, one column per property', async () => {
    const loader = new WarehouseLoader(pool)
    const hostile = ['a\tb', 'line\nbreak\r\n', 'back\\slash', '\\N', '\\.', 'x\t1\t2\nforged-id\tforged', 'nul\u0000byte', 'emoji 😀 é']
    const events = hostile.map((note, i) => track(`h-${i}\t\n`, 'Hostile\tEvent\nName', { note, n: i, ['key\twith\ntab']: note }))
    const summary = await loader.load(events, () => 'hostile')
    expect(summary.tables).toEqual([
      { schema: 'hostile', table: 'tracks', rows: hostile.length },
      { schema: 'hostile', table: 'hostile_event_name', rows: hostile.length }
    ])
    const back = await rows(`SELECT id, note, n, key_with_tab FROM hostile.hostile_event_name ORDER BY n`)
    // NUL is the one character dropped (flatten.ts; PostgreSQL text cannot hold it).
    const expected = hostile.map((note) => note.replace(/\0/g, ''))
    expect(back).toEqual(expected.map((note, i) => ({ id: `h-${i}\t\n`, note, n: i, key_with_tab: note })))
    expect(await rows(`SELECT DISTINCT event_text FROM hostile.tracks`)).toEqual([{ event_text: 'Hostile\tEvent\nName' }])
  })

  it('merges a user’s traits by event time: replaying older identifies only fills gaps', async () => {
    const loader = new WarehouseLoader(pool)
    const at = (messageId: string, traits: Record<string, unknown>, receivedAt: string) => ({ ...identify(messageId, 'u-time', traits), receivedAt })
    const older = at('t-1', { plan: 'old', a: 1 }, '2026-11-01T10:00:00.000Z')
    const newer = at('t-2', { plan: 'new', b: 2 }, '2026-11-01T10:00:05.000Z')
    await loader.load([older], () => 'times')
    await loader.load([newer], () => 'times')
    const user = async () => rows(`SELECT plan, a, b, received_at FROM times.users WHERE id = 'u-time'`)
    expect(await user()).toEqual([{ plan: 'new', a: 1, b: 2, received_at: new Date('2026-11-01T10:00:05.000Z') }])
    // A replay of the older one (a later load): its trait is kept only where nothing newer said otherwise.
    await loader.load([at('t-1', { plan: 'old', a: 1, c: 3 }, '2026-11-01T10:00:00.000Z')], () => 'times')
    expect(await rows(`SELECT plan, a, b, c FROM times.users WHERE id = 'u-time'`)).toEqual([{ plan: 'new', a: 1, b: 2, c: 3 }])
    // Both in one load, newest first in the batch: the newer still wins.
    await loader.load([at('t-4', { plan: 'newest' }, '2026-11-01T10:00:09.000Z'), at('t-3', { plan: 'older' }, '2026-11-01T10:00:07.000Z')], () => 'times')
    expect((await rows(`SELECT plan FROM times.users WHERE id = 'u-time'`))[0].plan).toBe('newest')
  })

  it('forgets a user’s rows received before a deletion’s time, keeping later ones; the users row goes whole', async () => {
    const loader = new WarehouseLoader(pool)
    const at = (event: Record<string, unknown>, receivedAt: string) => ({ ...event, receivedAt })
    await loader.load([
      at(track('f-1', 'Viewed', { a: 1 }, 'u-forget'), '2026-11-01T10:00:00.000Z'),
      at(identify('f-2', 'u-forget', { plan: 'old' }), '2026-11-01T10:00:01.000Z'),
      at(track('f-3', 'Viewed', { a: 2 }, 'u-forget'), '2026-11-01T10:00:09.000Z'),
      // Received after the deletion's time: its identifies row stays, but the users row (which also holds the
      // deleted identify's `plan`) goes whole.
      at(identify('f-4', 'u-forget', { seen: true }), '2026-11-01T10:00:09.000Z')
    ], () => 'forget')
    const before = Date.parse('2026-11-01T10:00:05.000Z')
    // tracks and viewed rows of f-1, the identifies row of f-2, and the users row.
    expect(await loader.forgetUser('user_id', 'u-forget', true, before)).toBe(4)
    expect(await rows(`SELECT id FROM forget.tracks ORDER BY id`)).toEqual([{ id: 'f-3' }])
    expect(await rows(`SELECT id FROM forget.identifies`)).toEqual([{ id: 'f-4' }])
    expect(await rows(`SELECT id FROM forget.users`)).toEqual([])
  })

  it('writes into columns made by hand with their own types, and a refused value rolls the whole load back', async () => {
    await db.query(`CREATE SCHEMA hand`)
    await db.query(`CREATE TABLE hand.checkout (id text PRIMARY KEY, code varchar(3), amount bigint, items jsonb)`)
    const loader = new WarehouseLoader(pool)
    await loader.load([track('c-1', 'Checkout', { code: 'abc', amount: 42, items: ['x', { a: 1 }] })], () => 'hand')
    expect(await rows(`SELECT id, code, amount, items FROM hand.checkout`)).toEqual([{ id: 'c-1', code: 'abc', amount: '42', items: ['x', { a: 1 }] }])

    // Too long for varchar(3): refused as an insert would refuse it, not cut to 'too'.
    await expect(loader.load([track('c-2', 'Checkout', { code: 'toolong', amount: 1 }), track('c-3', 'Checkout', { code: 'ok', amount: 2 })], () => 'hand')).rejects.toThrow(/value too long/)
    expect(await rows(`SELECT id FROM hand.checkout`)).toEqual([{ id: 'c-1' }])
    expect(await rows(`SELECT id FROM hand.tracks`)).toEqual([{ id: 'c-1' }])
    expect(await rows(`SELECT loads::int FROM ${META_SCHEMA}.table_loads WHERE schema_name = 'hand' AND table_name = 'checkout'`)).toEqual([{ loads: 1 }])
    // A fraction for a bigint does not parse either.
    await expect(loader.load([track('c-4', 'Checkout', { amount: 1.5 })], () => 'hand')).rejects.toThrow(/bigint/)

    // The same loader (its staging tables were rolled back with the load) loads the next batch.
    await loader.load([track('c-2', 'Checkout', { code: 'abd', amount: 7 })], () => 'hand')
    expect(await rows(`SELECT id, code, amount FROM hand.checkout ORDER BY id`)).toEqual([{ id: 'c-1', code: 'abc', amount: '42' }, { id: 'c-2', code: 'abd', amount: '7' }])
  })

  it('keeps a conflicting value as text, merges users, and replays without duplicates', async () => {
    const loader = new WarehouseLoader(pool)
    await loader.load([track('m-1', 'Paid', { price: 10 }), identify('i-1', 'u-1', { plan: 'pro', email: 'ada@example.com' })], () => 'merge')
    const second = [track('m-2', 'Paid', { price: 'ten\tdollars' }), identify('i-2', 'u-1', { plan: 'team' })]
    const summary = await loader.load(second, () => 'merge')
    expect(summary.conflicts).toBe(1)
    await loader.load(second, () => 'merge')
    expect(await rows(`SELECT id, price, price_text FROM merge.paid ORDER BY id`)).toEqual([
      { id: 'm-1', price: 10, price_text: null },
      { id: 'm-2', price: null, price_text: 'ten\tdollars' }
    ])
    expect(await rows(`SELECT id, plan, email FROM merge.users`)).toEqual([{ id: 'u-1', plan: 'team', email: 'ada@example.com' }])
    expect(await rows(`SELECT count(*)::int AS n FROM merge.identifies`)).toEqual([{ n: 2 }])
  })

  it('runs loads in flight on a new schema without tripping over each other’s tables', async () => {
    const loader = new WarehouseLoader(pool)
    // Three loads at once, each making the same tables and columns, sharing users.
    const loads = [0, 1, 2].map((l) => Array.from({ length: 300 }, (_, i) => (i % 10 === 9
      ? identify(`f-${l}-${i}`, `user-${i % 7}`, { plan: `p${l}`, [`trait_${l}`]: i })
      : track(`f-${l}-${i}`, `Event ${i % 4}`, { n: i, [`prop_${l}`]: 'x' }, `user-${i % 7}`))))
    await Promise.all(loads.map((events) => loader.load(events, () => 'in_flight')))
    expect(await rows(`SELECT count(*)::int AS n FROM in_flight.tracks`)).toEqual([{ n: 810 }])
    expect(await rows(`SELECT count(*)::int AS n FROM in_flight.identifies`)).toEqual([{ n: 90 }])
    expect(await rows(`SELECT count(*)::int AS n FROM in_flight.users`)).toEqual([{ n: 7 }])
    expect(await rows(`SELECT count(*)::int AS n FROM in_flight.event_0 WHERE prop_0 IS NOT NULL OR prop_1 IS NOT NULL OR prop_2 IS NOT NULL`)).toEqual([{ n: 3 * 75 }])
  })

  it('survives the server ending its connection mid-load: the load fails, nothing crashes, the next load works', async () => {
    const own = poolFor({ host: db.host, port: db.port, user: db.user, database: db.database })
    const loader = new WarehouseLoader(own)
    await loader.load([track('k-1', 'Killed', { a: 1 })], () => 'killed')
    // An analyst's open transaction holds the table: the next load waits on it, and its backend is ended then.
    const analyst = await analystIn('LOCK TABLE killed.killed IN ACCESS EXCLUSIVE MODE')
    const load = loader.load([track('k-2', 'Killed', { a: 2 })], () => 'killed')
    // Observed from now on: it may fail before the assertion below is reached.
    load.catch(() => undefined)
    const waiting = `SELECT pid FROM pg_stat_activity WHERE application_name = 'loupe' AND wait_event_type = 'Lock'`
    await expect.poll(async () => (await rows(waiting)).length).toBe(1)
    await db.query(`SELECT pg_terminate_backend(pid) FROM (${waiting}) AS w`)
    await expect(load).rejects.toThrow()
    await analyst.query('ROLLBACK')
    await analyst.end()
    await loader.load([track('k-3', 'Killed', { a: 3 })], () => 'killed')
    expect(await rows('SELECT id FROM killed.killed ORDER BY id')).toEqual([{ id: 'k-1' }, { id: 'k-3' }])
    await own.end()
  })

  it('lets a load into another table finish while one waits on a lock (only creations take turns)', async () => {
    const loader = new WarehouseLoader(pool)
    await loader.load([track('l-1', 'Locked', { a: 1 })], () => 'locked')
    const analyst = await analystIn('SELECT count(*) FROM locked.locked')
    // A new column means ALTER TABLE, which waits for the analyst's open transaction.
    const waiting = loader.load([track('l-2', 'Locked', { a: 2, b: 'new column' })], () => 'locked')
    waiting.catch(() => undefined)
    await expect.poll(async () => (await rows(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'ALTER TABLE%'`))[0].n).toBe(1)
    // Meanwhile a load into a new schema, with tables to create, goes through.
    await loader.load([track('o-1', 'Other', { a: 1 })], () => 'other_schema')
    expect(await rows('SELECT id FROM other_schema.other')).toEqual([{ id: 'o-1' }])
    await analyst.query('COMMIT')
    await analyst.end()
    await waiting
    expect(await rows('SELECT id, b FROM locked.locked ORDER BY id')).toEqual([{ id: 'l-1', b: null }, { id: 'l-2', b: 'new column' }])
  })
})
