// Sources and their write keys. The ingest path resolves a write key on every request, so the registry
// keeps every key in memory; reads use the main thread's connection, writes go to the store thread.

import type { Database, Statement } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'
import type { Source } from '../../../src-shared/api'
import type { StoreThread } from './store-thread'

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

/** Any web page can send events with made-up write keys: auto-creation stops at this many sources. */
export const MAX_AUTO_CREATED_SOURCES = 1000

export class TooManySourcesError extends Error {
  constructor() {
    super(`Loupe has auto-created ${MAX_AUTO_CREATED_SOURCES} sources already; create this source in the UI or with POST /api/sources (or run with --strict-keys).`)
  }
}


export function generateWriteKey(): string {
  return `wk_${randomBytes(16).toString('base64url')}`
}

export class SourceRegistry {
  private readonly byKey = new Map<string, number>()
  private readonly creating = new Map<string, Promise<number>>()
  private autoCreated = 0
  private readonly selectOne: Statement<unknown[], SourceRowDb>
  private readonly selectAll: Statement<unknown[], SourceRowDb>
  private readonly selectByKey: Statement<unknown[], { id: number }>

  constructor(db: Database, private readonly store: StoreThread) {
    this.selectOne = db.prepare('SELECT * FROM sources WHERE id = ?')
    this.selectAll = db.prepare('SELECT * FROM sources ORDER BY id')
    this.selectByKey = db.prepare('SELECT id FROM sources WHERE write_key = ?')
    for (const row of this.selectAll.all()) {
      this.byKey.set(row.write_key, row.id)
      if (row.auto_created === 1) this.autoCreated++
    }
  }

  /** The source id of a write key, or null if no source has it. */
  lookup(writeKey: string): number | null {
    return this.byKey.get(writeKey) ?? null
  }

  /** The source of a write key, created on the fly ("auto-created") if there is none. */
  ensure(writeKey: string): Promise<number> {
    const known = this.byKey.get(writeKey)
    if (known !== undefined) return Promise.resolve(known)
    let creating = this.creating.get(writeKey)
    if (!creating && this.autoCreated + this.creating.size >= MAX_AUTO_CREATED_SOURCES) return Promise.reject(new TooManySourcesError())
    if (!creating) {
      creating = this.insert(writeKey, writeKey, true).finally(() => this.creating.delete(writeKey))
      this.creating.set(writeKey, creating)
    }
    return creating
  }

  async create(name: string, writeKey: string = generateWriteKey()): Promise<Source> {
    if (this.byKey.has(writeKey)) throw new SourceConflictError(`a source with write key "${writeKey}" already exists`)
    const id = await this.insert(name, writeKey, false)
    return this.get(id)!
  }

  get(id: number): Source | null {
    const row = this.selectOne.get(id)
    return row ? toSource(row) : null
  }

  list(): Source[] {
    return this.selectAll.all().map(toSource)
  }

  async rename(id: number, name: string): Promise<Source | null> {
    await this.store.renameSource(id, name)
    return this.get(id)
  }

  /** Forgets the source; the store thread purges its events in the background. */
  async remove(id: number): Promise<Source | null> {
    const source = this.get(id)
    if (!source) return null
    this.byKey.delete(source.writeKey)
    if (source.autoCreated) this.autoCreated--
    await this.store.deleteSource(id)
    return source
  }

  private async insert(name: string, writeKey: string, autoCreated: boolean): Promise<number> {
    const created = await this.store.createSource(name, writeKey, autoCreated)
    // 0: the key was taken meanwhile (created elsewhere): use that source, unless a new one was asked for.
    const id = created !== 0 ? created : autoCreated ? this.selectByKey.get(writeKey)?.id : undefined
    if (id === undefined) throw new SourceConflictError(`a source with write key "${writeKey}" already exists`)
    if (created !== 0 && autoCreated) this.autoCreated++
    this.byKey.set(writeKey, id)
    return id
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
