// The search indexer: a log consumer that, after commit and off the ingest transaction, adds each
// event to `event_keys` (exact user / anonymous id / name lookups) and `events_fts` (free text).
// Queries cover the not-yet-indexed tail by scanning it, so nothing committed is missed while the index
// lags (free text then matches as a substring rather than as words; see events-query.ts).
// It runs in the store thread next to the writer and gives way to it (quiet-scheduler.ts).

import type { Database, Statement } from 'better-sqlite3'
import { cursorWriter, readCursor } from './cursors'
import { QuietScheduler, type QuietSchedulerOptions } from './quiet-scheduler'

export const SEARCH_INDEX_CURSOR = 'search-index'

interface Pending {
  id: number
  user_id: string | null
  anonymous_id: string | null
  name: string | null
  payload: string
}

export type SearchIndexerOptions = QuietSchedulerOptions

export class SearchIndexer {
  private position: number
  readonly schedule: QuietScheduler
  private readonly select: Statement<unknown[], Pending>
  private readonly indexSlice: (rows: Pending[]) => void

  constructor(db: Database, options: SearchIndexerOptions = {}) {
    this.schedule = new QuietScheduler('search indexing', (limit) => this.indexSome(limit), options)
    this.position = readCursor(db, SEARCH_INDEX_CURSOR)
    this.select = db.prepare('SELECT id, user_id, anonymous_id, name, payload FROM events WHERE id > ? ORDER BY id LIMIT ?')
    const insertText = db.prepare('INSERT INTO events_fts (rowid, body) VALUES (?, ?)')
    const insertKey = db.prepare('INSERT OR IGNORE INTO event_keys (key, event_id) VALUES (?, ?)')
    const saveCursor = cursorWriter(db, SEARCH_INDEX_CURSOR)
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

  start(): void {
    this.schedule.start()
  }

  stop(): void {
    this.schedule.stop()
  }

  notify(): void {
    this.schedule.notify()
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
}
