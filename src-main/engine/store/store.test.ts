import Database from 'better-sqlite3'
import { existsSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { resolveConfig } from '../config'
import { createEngine, DB_FILE } from '../index'
import { DataDirLockedError } from '../lock'
import { startTestEngine } from '../test-engine'
import { LATEST_VERSION, MIGRATIONS } from './migrations/index'
import { DatabaseTooNewError, pendingMigrations, runMigrations } from './migrate'
import { openDatabase } from './open'
import { EventQueries } from './events-query'
import { Retention } from './retention'
import { EventWriter, type JobResult } from './writer'
import { encodeRows } from './writer-protocol'
import { useTempDirs } from '../test-temp-dirs'

const tempDir = useTempDirs('loupe-store-')

describe('opening the database', () => {
  it('uses WAL, foreign keys and the latest schema', async () => {
    const { db } = await openDatabase(join(tempDir(), 'a.db'), { durability: 'normal' })
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('synchronous', { simple: true })).toBe(1) // NORMAL
    expect(db.pragma('user_version', { simple: true })).toBe(LATEST_VERSION)
    db.close()
  })

  it('uses synchronous=FULL with --durability full', async () => {
    const { db } = await openDatabase(join(tempDir(), 'a.db'), { durability: 'full' })
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    db.close()
  })

  it('refuses a database from a newer Loupe and leaves it untouched', async () => {
    const file = join(tempDir(), 'future.db')
    const raw = new Database(file)
    raw.pragma(`user_version = ${LATEST_VERSION + 10}`)
    raw.close()
    await expect(openDatabase(file, { durability: 'normal' })).rejects.toBeInstanceOf(DatabaseTooNewError)
    const again = new Database(file)
    expect(again.pragma('user_version', { simple: true })).toBe(LATEST_VERSION + 10)
    again.close()
  })

  it('backs up an existing database before migrating it', async () => {
    const dir = tempDir()
    const file = join(dir, 'old.db')
    const raw = new Database(file)
    raw.exec('CREATE TABLE keepme (x INTEGER)')
    raw.pragma('user_version = 1') // an older schema than any real migration
    raw.close()
    // The real migrations start at 10 > 1, so all of them are pending.
    const { db, backupPath } = await openDatabase(file, { durability: 'normal' })
    expect(backupPath).not.toBeNull()
    expect(existsSync(backupPath!)).toBe(true)
    const backup = new Database(backupPath!, { readonly: true })
    expect(backup.pragma('user_version', { simple: true })).toBe(1)
    backup.close()
    db.close()
  })

  it('runs migrations in one transaction: a failing one leaves the version unchanged', () => {
    const db = new Database(':memory:')
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 10, name: 'broken', up: () => { throw new Error('boom') } }]
    expect(() => runMigrations(db, pendingMigrations(db, broken))).toThrow('boom')
    expect(db.pragma('user_version', { simple: true })).toBe(0)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'events'").get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('one engine per data dir', () => {
  it('refuses a second engine on the same data dir, naming the first', async () => {
    const first = await startTestEngine()
    try {
      const error = await createEngine(resolveConfig({ dataDir: first.dataDir, port: '0' }, {})).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(DataDirLockedError)
      expect((error as Error).message).toContain(`pid ${process.pid}`)
      expect((error as Error).message).toContain(first.baseUrl)
    } finally {
      await first.stop()
    }
  })

  it('creates the data dir private (0700) and the token file 0600', async () => {
    const dataDir = join(tempDir(), 'nested', 'data')
    const t = await startTestEngine({ dataDir })
    try {
      const { statSync } = await import('node:fs')
      expect(statSync(dataDir).mode & 0o777).toBe(0o700)
      expect(statSync(join(dataDir, 'admin-token')).mode & 0o777).toBe(0o600)
      expect(statSync(join(dataDir, DB_FILE)).mode & 0o777).toBe(0o600)
      expect(statSync(join(dataDir, `${DB_FILE}-wal`)).mode & 0o777).toBe(0o600)
    } finally {
      await t.stop()
    }
    expect(readdirSync(dataDir).sort()).toEqual(['admin-token', DB_FILE].sort())
  })

  it('keeps the token across restarts', async () => {
    const dataDir = tempDir()
    const a = await startTestEngine({ dataDir })
    const token = a.token
    await a.stop()
    const b = await startTestEngine({ dataDir })
    expect(b.token).toBe(token)
    await b.stop()
  })
})

describe('group commit', () => {
  it('fails only the request whose rows the store refuses; the others in the same commit are stored', async () => {
    const { db } = await openDatabase(join(tempDir(), 'isolate.db'), { durability: 'normal' })
    db.prepare("INSERT INTO sources (name, write_key, created_at) VALUES ('s', 'k', 0)").run()
    const results: JobResult[] = []
    const writer = new EventWriter(db, { onFlushed: (r) => results.push(...r) })
    const row = (messageId: string, receivedAt: number) => ({
      sourceId: 1, type: 'track' as const, name: 'E', userId: 'u', anonymousId: null, messageId, messageIdGenerated: false,
      receivedAt, timestamp: receivedAt, originalTimestamp: null, sentAt: null, size: 2, warnings: null, payload: '{}'
    })
    writer.enqueue(1, encodeRows([row('good-1', 1000)]))
    writer.enqueue(2, encodeRows([row('bad', 1000.5)])) // REAL in an INTEGER column: SQLite refuses the row
    writer.enqueue(3, encodeRows([row('good-2', 1001)]))
    writer.flush()
    expect(results.find((r) => r.token === 1)).toMatchObject({ ids: [expect.any(Number)] })
    expect(results.find((r) => r.token === 2)).toMatchObject({ error: expect.stringMatching(/REAL/), permanent: true })
    expect(results.find((r) => r.token === 3)).toMatchObject({ ids: [expect.any(Number)] })
    expect(db.prepare('SELECT message_id FROM events ORDER BY id').pluck().all()).toEqual(['good-1', 'good-2'])
    db.close()
  })
})

describe('time ranges', () => {
  it('stay exact when events were committed out of receivedAt order', async () => {
    const file = join(tempDir(), 'order.db')
    const { db } = await openDatabase(file, { durability: 'normal' })
    db.prepare("INSERT INTO sources (name, write_key, created_at) VALUES ('s', 'k', 0)").run()
    const writer = new EventWriter(db, { onFlushed: () => {} })
    // A slow request received at 2000 commits after one received at 3000 (ids 1..5 in commit order).
    const received = [1000, 3000, 2000, 4000, 5000]
    writer.enqueue(1, encodeRows(received.map((at, i) => ({
      sourceId: 1, type: 'track' as const, name: 'E', userId: 'u', anonymousId: null, messageId: `o-${i}`, messageIdGenerated: false,
      receivedAt: at, timestamp: at, originalTimestamp: null, sentAt: null, size: 2, warnings: null, payload: '{}'
    }))))
    writer.flush()
    const queries = new EventQueries(db, () => 0)
    const ids = (from: number, to: number) => queries.search({ from, to, limit: 50 }).events.map((e) => e.receivedAt)
    expect(ids(2000, 2001)).toEqual([new Date(2000).toISOString()])
    expect(ids(2500, 4500)).toEqual([new Date(4000).toISOString(), new Date(3000).toISOString()])
    expect(db.prepare("SELECT value FROM meta WHERE key = 'received_at_disorder_ms'").pluck().get()).toBe(1000)
    db.close()
  })
})

describe('retention', () => {
  /** Runs retention on a stopped engine's database: the one writer, as in the store thread. */
  async function retain(dataDir: string, policy: { maxEvents: number; maxAgeDays: number }, now = Date.now()): Promise<number> {
    const { db } = await openDatabase(join(dataDir, DB_FILE), { durability: 'normal' })
    try {
      const retention = new Retention(db, policy, 40)
      let deleted = 0
      for (let n = retention.runOnce(now); n > 0; n = retention.runOnce(now)) deleted += n
      return deleted
    } finally {
      db.close()
    }
  }

  it('keeps at most maxEvents, deleting the oldest, and keeps counts and search data right', async () => {
    const dataDir = tempDir()
    const t = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    const batch = Array.from({ length: 250 }, (_, i) => ({ type: 'track', event: 'R', userId: `u${i}`, messageId: `r-${i}` }))
    await t.track('/v1/batch', { batch })
    await t.indexNow()
    await t.stop({ keepData: true })
    expect(await retain(dataDir, { maxEvents: 100, maxAgeDays: 0 })).toBe(150)
    const again = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    try {
      const page = await again.get('/api/events?limit=500')
      expect(page.events).toHaveLength(100)
      expect(page.events.at(-1).messageId).toBe('r-150')
      expect((await again.get('/api/stats')).events.total).toBe(100)
      // Derived search data of deleted events is gone too.
      expect((await again.get('/api/events?userId=u3')).events).toEqual([])
      expect((await again.get('/api/events?q=r-3')).events).toEqual([])
      expect((await again.get('/api/events?userId=u203')).events).toHaveLength(1)
    } finally {
      await again.stop()
    }
  })

  it('counts held (quarantined) events it deletes, per source, and their violations go with them', async () => {
    const dataDir = tempDir()
    const t = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    const source = (await (await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Held', writeKey: 'wk_held_retention' }) })).json()) as { id: number }
    await t.admin(`/api/sources/${source.id}/enforcement`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ blockedEvents: ['Noise'] }) })
    const batch = Array.from({ length: 30 }, (_, i) => ({ type: 'track', event: i % 3 === 0 ? 'Kept' : 'Noise', userId: 'u', messageId: `h-${i}` }))
    expect((await t.track('/v1/batch', { batch }, 'wk_held_retention')).status).toBe(200)
    expect((await t.get('/api/events?quarantined=1&limit=100')).events).toHaveLength(20)
    await t.stop({ keepData: true })
    expect(await retain(dataDir, { maxEvents: 15, maxAgeDays: 0 })).toBe(15)
    const again = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    try {
      const report = await again.get(`/api/violations?source=${source.id}`)
      expect(report.quarantineExpired + report.quarantined).toBe(20)
      expect(report.quarantineExpired).toBe(10)
    } finally {
      await again.stop()
    }
  })

  it('deletes events older than maxAgeDays', async () => {
    const dataDir = tempDir()
    const t = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    await t.track('/v1/batch', { batch: [{ type: 'track', event: 'Old', userId: 'u', messageId: 'old-1' }, { type: 'track', event: 'Old', userId: 'u', messageId: 'old-2' }] })
    await t.stop({ keepData: true })
    expect(await retain(dataDir, { maxEvents: 0, maxAgeDays: 1 })).toBe(0)
    expect(await retain(dataDir, { maxEvents: 0, maxAgeDays: 1 }, Date.now() + 2 * 86_400_000)).toBe(2)
    const again = await startTestEngine({ dataDir, maxEvents: '0', maxAgeDays: '0' })
    expect((await again.get('/api/stats')).events.total).toBe(0)
    await again.stop()
  })

  it('never reuses event ids after the log is emptied', async () => {
    const dataDir = tempDir()
    const t = await startTestEngine({ dataDir })
    await t.track('/v1/track', { userId: 'u', event: 'First' })
    const firstId = Number((await t.get('/api/events')).events[0].id)
    await t.stop({ keepData: true })
    const { db } = await openDatabase(join(dataDir, DB_FILE), { durability: 'normal' })
    db.exec('DELETE FROM events')
    db.close()
    const again = await startTestEngine({ dataDir })
    await again.track('/v1/track', { userId: 'u', event: 'Second' })
    const secondId = Number((await again.get('/api/events')).events[0].id)
    expect(secondId).toBeGreaterThan(firstId)
    await again.stop()
  })
})
