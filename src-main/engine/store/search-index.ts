// The search indexer: a log consumer that, after commit and off the ingest transaction, adds each
// event to `event_keys` (exact user / anonymous id / name lookups) and `events_fts` (free text).
// Queries cover the not-yet-indexed tail by scanning it, so nothing committed is missed while the index
// lags (free text then matches as a substring rather than as words; see events-query.ts).
//
// It runs in the store thread next to the writer and gives way to it: while events keep arriving it
// mostly waits (ingest first; measured in bench/RESULTS.md, indexing during a burst cost a third of the
// throughput) and catches up in large slices as soon as ingest pauses — but under steady traffic that
// never pauses it still indexes a small slice at least every `maxLagMs`, so the unindexed tail that
// queries must scan stays short.

import type { Database, Statement } from 'better-sqlite3'
import { cursorWriter, readCursor } from './cursors'

export const SEARCH_INDEX_CURSOR = 'search-index'

interface Pending {
  id: number
  user_id: string | null
  anonymous_id: string | null
  name: string | null
  payload: string
}

export interface SearchIndexerOptions {
  /** Events per slice. */
  slice?: number
  /** How long ingest must have been quiet before indexing resumes, ms. */
  quietMs?: number
  /** Under traffic that never pauses, index a small slice at least this often, ms. */
  maxLagMs?: number
  /** Where failures go (a failing slice is retried after a pause, not thrown). */
  log?: (message: string) => void
}

export class SearchIndexer {
  private position: number
  private timer: NodeJS.Timeout | null = null
  private running = false
  private lastIngestAt = 0
  private lastSliceAt = Date.now()
  private busy: () => boolean = () => false
  private readonly select: Statement<unknown[], Pending>
  private readonly indexSlice: (rows: Pending[]) => void

  constructor(db: Database, private readonly options: SearchIndexerOptions = {}) {
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
    this.running = true
    this.schedule(0)
  }

  stop(): void {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Makes indexing wait while `busy()` says the writer has work queued. */
  yieldTo(busy: () => boolean): void {
    this.busy = busy
  }

  /** The writer committed events: index them once ingest is quiet. */
  notify(): void {
    this.lastIngestAt = Date.now()
    if (this.running && !this.timer) this.schedule(this.quietMs)
  }

  private get quietMs(): number {
    return this.options.quietMs ?? 50
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
    const now = Date.now()
    const sinceIngest = now - this.lastIngestAt
    const quiet = !this.busy() && sinceIngest >= this.quietMs
    const overdue = now - this.lastSliceAt >= (this.options.maxLagMs ?? 1000)
    if (!quiet && !overdue) {
      this.schedule(Math.max(5, this.quietMs - sinceIngest))
      return
    }
    let done = 0
    try {
      done = this.indexSome(quiet ? (this.options.slice ?? 500) : 250)
      this.lastSliceAt = now
    } catch (error) {
      this.options.log?.(`search indexing failed, retrying in 5 s: ${(error as Error).message}`)
      this.schedule(5000)
      return
    }
    if (done > 0) this.schedule(quiet ? 0 : this.quietMs)
  }
}
