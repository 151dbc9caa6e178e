// Reads of replay jobs and of the events a replay walks (writes are store commands).

import type { Database, Statement } from 'better-sqlite3'
import type { ReplayJob, ReplaySelection, ReplayState } from '../../../src-shared/api'
import type { OutgoingRow } from './destinations'

export interface ReplayRow {
  id: number
  destinationId: number
  selection: string
  state: ReplayState
  cursor: number
  upperEventId: number
}

interface ReplayDb {
  id: number
  destination_id: number
  selection: string
  state: ReplayState
  cursor: number
  upper_event_id: number
  total: number
  processed: number
  delivered: number
  filtered: number
  failed: number
  error: string | null
  created_at: number
  finished_at: number | null
}

const COLUMNS = 'id, source_id, type, message_id, received_at, timestamp, original_timestamp, sent_at, payload, quarantine, protocols, pii'

export class ReplayReads {
  private readonly one: Statement<unknown[], ReplayDb>

  constructor(private readonly db: Database) {
    this.one = db.prepare('SELECT * FROM replay_jobs WHERE id = ?')
  }

  get(id: number): ReplayRow | null {
    const row = this.one.get(id)
    return row ? { id: row.id, destinationId: row.destination_id, selection: row.selection, state: row.state, cursor: row.cursor, upperEventId: row.upper_event_id } : null
  }

  view(id: number): ReplayJob | null {
    const row = this.one.get(id)
    return row ? toJob(row) : null
  }

  list(destinationId?: number): ReplayJob[] {
    const rows = (destinationId === undefined
      ? this.db.prepare('SELECT * FROM replay_jobs ORDER BY id DESC LIMIT 200').all()
      : this.db.prepare('SELECT * FROM replay_jobs WHERE destination_id = ? ORDER BY id DESC LIMIT 200').all(destinationId)) as ReplayDb[]
    return rows.map(toJob)
  }

  /** Events of the sources with ids in (after, upper], oldest first; only those of a quarantine release if given. */
  scan(sourceIds: number[], after: number, upper: number, limit: number, releaseId?: number): OutgoingRow[] {
    if (sourceIds.length === 0) return []
    const release = releaseId === undefined ? '' : 'AND quarantine = ?'
    return this.db
      .prepare(`SELECT ${COLUMNS} FROM events WHERE source_id IN (${sourceIds.map(() => '?').join(',')}) AND id > ? AND id <= ? ${release} ORDER BY id LIMIT ?`)
      .all(...sourceIds, after, upper, ...(releaseId === undefined ? [] : [releaseId]), limit) as OutgoingRow[]
  }

  /** Failed events of a destination with ids in (after, upper], oldest first. */
  failedAfter(destinationId: number, after: number, upper: number, limit: number): number[] {
    return this.db
      .prepare('SELECT event_id FROM delivery_failures WHERE destination_id = ? AND event_id > ? AND event_id <= ? AND resolved IS NULL ORDER BY event_id LIMIT ?')
      .pluck()
      .all(destinationId, after, upper, limit) as number[]
  }

  maxEventId(): number {
    return (this.db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck().get() as number) ?? 0
  }
}

function toJob(row: ReplayDb): ReplayJob {
  const stored = JSON.parse(row.selection) as ReplaySelection & { failedOnly?: boolean }
  return {
    id: row.id,
    destinationId: row.destination_id,
    selection: stored,
    state: row.state,
    // A selection larger than the count's scan limit: the total grows with what the job has seen.
    total: Math.max(row.total, row.processed),
    processed: row.processed,
    delivered: row.delivered,
    filtered: row.filtered,
    failed: row.failed,
    error: row.error,
    createdAt: new Date(row.created_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString()
  }
}
