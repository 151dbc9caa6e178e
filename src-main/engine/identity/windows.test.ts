// Computed traits over windows, at the store-thread level: the identity consumer over a real SQLite file,
// with the clock moved forward so a window slides without any new event.

import { join } from 'node:path'
import type { Database } from 'better-sqlite3'
import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ComputedTraitDefinition } from '../../../src-shared/identity'
import { openDatabase } from '../store/open'
import { useTempDirs } from '../test-temp-dirs'
import { DAY_MS } from './computed'
import { IdentityConsumer } from './consumer'

const tempDir = useTempDirs('loupe-windows-')

afterEach(() => {
  vi.useRealTimers()
})

async function database(): Promise<Database> {
  const { db } = await openDatabase(join(tempDir(), 'loupe.db'), { durability: 'normal' })
  db.prepare("INSERT INTO sources (id, name, write_key, auto_created, created_at) VALUES (1, 's', 'wk_s', 0, 0)").run()
  return db
}

let seq = 0
function order(db: Database, userId: string, at: number, revenue: number): void {
  const payload = JSON.stringify({ type: 'track', event: 'Order Completed', userId, properties: { revenue } })
  db.prepare("INSERT INTO events (source_id, type, name, user_id, message_id, received_at, timestamp, size, payload) VALUES (1, 'track', 'Order Completed', ?, ?, ?, ?, 0, ?)")
    .run(userId, `m${++seq}`, at, at, payload)
}

function trait(db: Database, definition: ComputedTraitDefinition): number {
  return Number(db.prepare("INSERT INTO computed_traits (name, key, definition, state, backfill_upto, backfill_cursor, created_at) VALUES (?, ?, ?, 'live', 0, 0, 0)").run(definition.name, definition.name, JSON.stringify(definition)).lastInsertRowid)
}

const valueOf = (db: Database, traitId: number): unknown => {
  const raw = db.prepare('SELECT value FROM computed_values WHERE trait_id = ? AND profile_id IN (SELECT id FROM profiles WHERE merged_into IS NULL)').pluck().get(traitId) as string | undefined
  return raw === undefined ? undefined : JSON.parse(raw)
}

describe('computed traits over a window', () => {
  it('counts the last N days, not events dated in the future, and slides as days pass', async () => {
    vi.useFakeTimers({ toFake: ['Date'] })
    const now = Date.UTC(2026, 5, 15, 12)
    vi.setSystemTime(now)
    const db = await database()
    const count = trait(db, { name: 't', type: 'count', event: 'Order Completed', property: null, windowDays: 30 })
    const sum = trait(db, { name: 's', type: 'sum', event: 'Order Completed', property: 'properties.revenue', windowDays: 30 })
    for (const [daysAgo, revenue] of [[40, 1], [20, 10], [1, 100], [-5, 1000]] as const) order(db, 'u1', now - daysAgo * DAY_MS, revenue)
    const consumer = new IdentityConsumer(db)
    consumer.catchUp()
    expect(valueOf(db, count)).toBe(2)
    expect(valueOf(db, sum)).toBe(110)

    // Eleven days later the order of 20 days ago has left the window; the one dated in the future has come in.
    vi.setSystemTime(now + 11 * DAY_MS)
    consumer.catchUp()
    expect(valueOf(db, count)).toBe(2)
    expect(valueOf(db, sum)).toBe(1100)

    // Another month: nothing left in the window, so no value (a count of 0).
    vi.setSystemTime(now + 45 * DAY_MS)
    consumer.catchUp()
    expect(valueOf(db, count)).toBeUndefined()
    expect(db.prepare('SELECT count(*) FROM trait_buckets WHERE trait_id = ?').pluck().get(count)).toBe(0)
    db.close()
  })

  it('adds two profiles’ days up when they merge', async () => {
    const db = await database()
    const count = trait(db, { name: 't', type: 'count', event: 'Order Completed', property: null, windowDays: 7 })
    const last = trait(db, { name: 'l', type: 'last', event: 'Order Completed', property: 'properties.revenue', windowDays: null })
    const now = Date.now()
    order(db, 'u2', now - 2 * DAY_MS, 5)
    const anon = JSON.stringify({ type: 'track', event: 'Order Completed', anonymousId: 'a2', properties: { revenue: 7 } })
    db.prepare("INSERT INTO events (source_id, type, name, anonymous_id, message_id, received_at, timestamp, size, payload) VALUES (1, 'track', 'Order Completed', 'a2', 'anon-order', ?, ?, 0, ?)").run(now - DAY_MS, now - DAY_MS, anon)
    const consumer = new IdentityConsumer(db)
    consumer.catchUp()
    expect(db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get()).toBe(2)
    const identify = JSON.stringify({ type: 'identify', userId: 'u2', anonymousId: 'a2' })
    db.prepare("INSERT INTO events (source_id, type, user_id, anonymous_id, message_id, received_at, timestamp, size, payload) VALUES (1, 'identify', 'u2', 'a2', 'login', ?, ?, 0, ?)").run(now, now, identify)
    consumer.catchUp()
    expect(db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get()).toBe(1)
    expect(valueOf(db, count)).toBe(2)
    expect(valueOf(db, last)).toBe(7)
    db.close()
  })
})
