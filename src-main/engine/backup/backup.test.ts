import Database from 'better-sqlite3'
import { existsSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { startTestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'
import { LATEST_VERSION } from '../store/migrations/index'
import { DataDirAccessError } from './data-dir-access'
import { checkBackupFile, restoreDatabase } from './restore'

const tempDir = useTempDirs('loupe-backup-')

async function eventIds(t: Awaited<ReturnType<typeof startTestEngine>>): Promise<string[]> {
  return (await t.get('/api/events?limit=500')).events.map((e: { messageId: string }) => e.messageId)
}

describe('backup and restore', () => {
  it('GET /api/backup downloads a consistent copy that restores into an engine seeing the same events', async () => {
    const a = await startTestEngine()
    let backup: string
    let before: string[]
    try {
      for (let i = 0; i < 20; i++) expect((await a.track('/v1/track', { userId: 'u', event: 'Paid', messageId: `m-${i}` }, 'wk_shop')).status).toBe(200)
      // Ingest keeps going while the copy is taken: the copy is a snapshot, whole events only.
      const writing = Promise.all(Array.from({ length: 20 }, (_, i) => a.track('/v1/track', { userId: 'u', event: 'Late', messageId: `late-${i}` }, 'wk_shop')))
      const res = await a.admin('/api/backup')
      await writing
      expect(res.status).toBe(200)
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="loupe-backup-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.db"$/)
      backup = join(tempDir(), 'copy.db')
      writeFileSync(backup, Buffer.from(await res.arrayBuffer()))
      before = await eventIds(a)
      // The temporary copy does not stay in the data dir.
      expect(readdirSync(a.dataDir).filter((f) => f.startsWith('.backup-'))).toEqual([])
    } finally {
      await a.stop()
    }

    const copy = new Database(backup, { readonly: true })
    const copied = copy.prepare('SELECT message_id FROM events ORDER BY id DESC').pluck().all() as string[]
    copy.close()
    expect(copied.filter((m) => m.startsWith('m-'))).toHaveLength(20)
    // Whatever the snapshot holds is a prefix of what the engine stored.
    expect(before.slice(before.length - copied.length)).toEqual(copied)

    const dataDir = tempDir()
    const result = await restoreDatabase(dataDir, backup)
    expect(result).toEqual({ previous: null, schemaVersion: LATEST_VERSION })
    const b = await startTestEngine({ dataDir })
    try {
      expect(await eventIds(b)).toEqual(copied)
      expect((await b.get('/api/sources')).sources.map((s: { writeKey: string }) => s.writeKey)).toEqual(['wk_shop'])
    } finally {
      await b.stop()
    }
  })

  it('keeps the replaced database, and refuses files that are not a sound Loupe database', async () => {
    const t = await startTestEngine()
    const dataDir = t.dataDir
    await t.track('/v1/track', { userId: 'u', event: 'Mine' })
    await t.stop({ keepData: true })
    try {
      const dir = tempDir()
      const notSqlite = join(dir, 'notes.db')
      writeFileSync(notSqlite, 'hello, not a database'.repeat(100))
      expect(() => checkBackupFile(notSqlite)).toThrow(/is not a SQLite database/)
      const other = join(dir, 'other.db')
      new Database(other).exec('CREATE TABLE t (x)').close()
      expect(() => checkBackupFile(other)).toThrow('is a SQLite database, but not a Loupe database')
      const future = join(dir, 'future.db')
      const db = new Database(join(dataDir, 'loupe.db'), { readonly: true })
      await db.backup(future)
      db.close()
      new Database(future).pragma(`user_version = ${LATEST_VERSION + 10}`)
      expect(() => checkBackupFile(future)).toThrow(`has schema version ${LATEST_VERSION + 10}, but this Loupe supports up to ${LATEST_VERSION}`)
      await expect(restoreDatabase(dataDir, other)).rejects.toBeInstanceOf(DataDirAccessError)
      expect(readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([])

      const good = join(dir, 'good.db')
      const empty = await startTestEngine()
      await empty.stop({ keepData: true })
      const src = new Database(join(empty.dataDir, 'loupe.db'), { readonly: true })
      await src.backup(good)
      src.close()
      const result = await restoreDatabase(dataDir, good, new Date('2026-11-28T10:15:00.123Z'))
      expect(result.previous).toBe(join(dataDir, 'loupe.db.before-restore-2026-11-28T10-15-00Z'))
      expect(existsSync(result.previous!)).toBe(true)
      const kept = new Database(result.previous!, { readonly: true })
      expect(kept.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1)
      kept.close()
      const restored = await startTestEngine({ dataDir })
      expect((await restored.get('/api/events')).events).toEqual([])
      await restored.stop()
    } finally {
      const { rmSync } = await import('node:fs')
      rmSync(dataDir, { recursive: true, force: true })
    }
  })
})
