import type { Database, Statement } from 'better-sqlite3'
import { SEARCH_INDEX_CURSOR } from './search-index'

/** How far the store thread's search indexer has got, read on the main thread. */
export class SearchProgress {
  private readonly cursor: Statement<unknown[], { position: number }>
  private readonly maxId: Statement<unknown[], { id: number | null }>

  constructor(db: Database) {
    this.cursor = db.prepare('SELECT position FROM consumer_cursors WHERE name = ?')
    this.maxId = db.prepare('SELECT max(id) AS id FROM events')
  }

  /** Every event with an id at or below this is in the search index. */
  indexedThrough(): number {
    return this.cursor.get(SEARCH_INDEX_CURSOR)?.position ?? 0
  }

  /** Committed events not yet searchable by index (queries still find them, by scanning). */
  pending(): number {
    return Math.max(0, (this.maxId.get()?.id ?? 0) - this.indexedThrough())
  }
}
