// The search indexer: a log consumer that, after commit and off the ingest transaction, adds each
// event to `event_keys` (exact user / anonymous id / name lookups) and `events_fts` (free text).
// Queries cover the not-yet-indexed tail by scanning it, so results never depend on the lag.
//
// It shares the engine's one thread with ingest, so it works in slices: small ones while events are
// arriving (ingest latency first), large ones when the engine is idle.

import type { Database, Statement } from 'better-sqlite3'
import { cursorWriter, readCursor } from './cursors'

const CURSOR = 'search-index'

interface Pending {
  id: number
  user_id: string | null
  anonymous_id: string | null
  name: string | null
  payload: string
}

export interface SearchIndexerOptions {
  /** Events per slice while ingest is busy / idle. */
  busySlice?: number
  idleSlice?: number
  /** Pause between slices while ingest is busy, ms. */
  busyPauseMs?: number
}

export class SearchIndexer {
  private position: number
  private timer: NodeJS.Timeout | null = null
  private running = false
  private lastIngestAt = 0
  private readonly select: Statement<unknown[], Pending>
  private readonly maxId: Statement<unknown[], { id: number | null }>
  private readonly indexSlice: (rows: Pending[]) => void

  constructor(db: Database, private readonly options: SearchIndexerOptions = {}) {
    this.position = readCursor(db, CURSOR)
    this.select = db.prepare('SELECT id, user_id, anonymous_id, name, payload FROM events WHERE id > ? ORDER BY id LIMIT ?')
    this.maxId = db.prepare('SELECT max(id) AS id FROM events')
    const insertText = db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)')
    const insertKey = db.prepare('INSERT OR IGNORE INTO event_keys (key, event_id) VALUES (?, ?)')
    const saveCursor = cursorWriter(db, CURSOR)
    this.indexSlice = db.transaction((rows: Pending[]) => {
      for (const row of rows) {
        insertText.run(row.id, row.payload)
        if (row.user_id !== null) insertKey.run(`u:${row.user_id}`, row.id)
        if (row.anonymous_id !== null) insertKey.run(`a:${row.anonymous_id}`, row.id)
        if (row.name !== null) insertKey.run(`n:${row.name}`, row.id)
      }
      saveCursor(rows[rows.length - 1]!.id)
    })
  }

  /** Every event with an id at or below this is in the search index. */
  get indexedThrough(): number {
    return this.position
  }

  pending(): number {
    return Math.max(0, (this.maxId.get()?.id ?? 0) - this.position)
  }

  start(): void {
    this.running = true
    this.schedule(0)
  }

  stop(): void {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** The writer committed events: index them soon. */
  notify(): void {
    this.lastIngestAt = Date.now()
    if (this.running && !this.timer) this.schedule(this.options.busyPauseMs ?? 25)
  }

  /** Indexes up to `limit` events; returns how many. */
  indexSome(limit: number): number {
    const rows = this.select.all(this.position, limit)
    if (rows.length === 0) return 0
    this.indexSlice(rows)
    this.position = rows[rows.length - 1]!.id
    return rows.length
  }

  /** Indexes everything committed so far (tests, shutdown-free tools). */
  catchUp(): void {
    while (this.indexSome(5000) > 0);
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), delayMs)
  }

  private tick(): void {
    this.timer = null
    if (!this.running) return
    const busy = Date.now() - this.lastIngestAt < 200
    const done = this.indexSome(busy ? (this.options.busySlice ?? 250) : (this.options.idleSlice ?? 2000))
    if (done > 0) this.schedule(busy ? (this.options.busyPauseMs ?? 25) : 0)
  }
}
