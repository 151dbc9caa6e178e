// Reads for QA mode on the main thread's connection: test runs, and the payloads of candidate events that
// EventQueries.search has already narrowed down (by source, type, name, user, time).

import type { Database, Statement } from 'better-sqlite3'
import type { SegmentType } from '../../../src-shared/segment'

export interface RunRow {
  id: string
  name: string
  sourceId: number
  windowSourceIds: number[]
  startedAt: number
  endedAt: number | null
  assertions: number
  failedAssertions: number
}

/** An event as QA matching sees it: the indexed columns plus the parsed payload. */
export interface CandidateRow {
  id: number
  sourceId: number
  type: SegmentType
  name: string | null
  userId: string | null
  anonymousId: string | null
  receivedAt: number
  payload: string
}

interface RunRowDb {
  id: string
  name: string
  source_id: number
  window_source_ids: string
  started_at: number
  ended_at: number | null
  assertions: number
  failed_assertions: number
}

export class RunReads {
  private readonly all: Statement<unknown[], RunRowDb>
  private readonly one: Statement<unknown[], RunRowDb>
  private readonly rows: Statement<unknown[], CandidateRow>
  private readonly maxId: Statement<unknown[], number>

  constructor(db: Database) {
    this.all = db.prepare('SELECT * FROM test_runs ORDER BY started_at DESC, id LIMIT ?')
    this.one = db.prepare('SELECT * FROM test_runs WHERE id = ?')
    this.rows = db.prepare(
      `SELECT id, source_id AS sourceId, type, name, user_id AS userId, anonymous_id AS anonymousId, received_at AS receivedAt, payload
       FROM events WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id DESC`
    )
    this.maxId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck() as Statement<unknown[], number>
  }

  list(limit = 1000): RunRow[] {
    return this.all.all(limit).map(toRun)
  }

  get(id: string): RunRow | null {
    const row = this.one.get(id)
    return row ? toRun(row) : null
  }

  /** The rows of these events (newest first); ids no longer stored are left out. */
  candidates(ids: readonly number[]): CandidateRow[] {
    return ids.length === 0 ? [] : this.rows.all(JSON.stringify(ids))
  }

  /** The newest event id committed; every id at or below it is visible to this connection's next read. */
  lastEventId(): number {
    return this.maxId.get()!
  }
}

function toRun(row: RunRowDb): RunRow {
  return {
    id: row.id,
    name: row.name,
    sourceId: row.source_id,
    windowSourceIds: JSON.parse(row.window_source_ids) as number[],
    startedAt: row.started_at,
    endedAt: row.ended_at,
    assertions: row.assertions,
    failedAssertions: row.failed_assertions
  }
}
