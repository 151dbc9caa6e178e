// Sources and their write keys. The ingest path resolves a write key on every request, so the
// registry keeps every source in memory; writes go straight to SQLite (they are rare).

import type { Database, Statement } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import type { Source } from '../../../src-shared/api'

interface SourceRowDb {
  id: number
  name: string
  write_key: string
  auto_created: number
  created_at: number
  event_count: number
  last_seen_at: number | null
}

export class SourceConflictError extends Error {}

/** Write keys are labels, not secrets, but they end up in logs and URLs: keep them printable and short. */
export const WRITE_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/

export function generateWriteKey(): string {
  return `wk_${randomBytes(16).toString('base64url')}`
}

export class SourceRegistry {
  private readonly byKey = new Map<string, number>()
  private readonly insertStmt: Statement<unknown[]>
  private readonly selectOne: Statement<unknown[], SourceRowDb>
  private readonly selectAll: Statement<unknown[], SourceRowDb>

  constructor(private readonly db: Database) {
    this.insertStmt = db.prepare('INSERT INTO sources (name, write_key, auto_created, created_at) VALUES (?, ?, ?, ?)')
    this.selectOne = db.prepare('SELECT * FROM sources WHERE id = ?')
    this.selectAll = db.prepare('SELECT * FROM sources ORDER BY id')
    for (const row of this.selectAll.all()) this.byKey.set(row.write_key, row.id)
  }

  /** The source id of a write key; creates an auto-created source when allowed. Null = unknown key. */
  resolve(writeKey: string, autoCreate: boolean): number | null {
    const id = this.byKey.get(writeKey)
    if (id !== undefined) return id
    if (!autoCreate) return null
    return this.insert(writeKey, writeKey, true).id
  }

  create(name: string, writeKey: string = generateWriteKey()): Source {
    if (this.byKey.has(writeKey)) throw new SourceConflictError(`a source with write key "${writeKey}" already exists`)
    return this.insert(name, writeKey, false)
  }

  get(id: number): Source | null {
    const row = this.selectOne.get(id)
    return row ? toSource(row) : null
  }

  list(): Source[] {
    return this.selectAll.all().map(toSource)
  }

  get size(): number {
    return this.byKey.size
  }

  rename(id: number, name: string): Source | null {
    this.db.prepare('UPDATE sources SET name = ? WHERE id = ?').run(name, id)
    return this.get(id)
  }

  /** Forgets the source; its events are purged separately (in chunks) by the caller. */
  remove(id: number): Source | null {
    const source = this.get(id)
    if (!source) return null
    this.db.prepare('DELETE FROM sources WHERE id = ?').run(id)
    this.byKey.delete(source.writeKey)
    return source
  }

  private insert(name: string, writeKey: string, autoCreated: boolean): Source {
    const info = this.insertStmt.run(name, writeKey, autoCreated ? 1 : 0, Date.now())
    const id = Number(info.lastInsertRowid)
    this.byKey.set(writeKey, id)
    return this.get(id)!
  }
}

function toSource(row: SourceRowDb): Source {
  return {
    id: row.id,
    name: row.name,
    writeKey: row.write_key,
    autoCreated: row.auto_created === 1,
    createdAt: new Date(row.created_at).toISOString(),
    eventCount: row.event_count,
    lastSeenAt: row.last_seen_at === null ? null : new Date(row.last_seen_at).toISOString()
  }
}
