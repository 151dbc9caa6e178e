// A destination's log as SQL: the events of its connected sources after its cursor (and after each connection
// began), oldest first. Read by the main thread (destinations.ts) and by the line reader's thread
// (routing/line-reader-thread.ts), each on its own connection.

import type { Database, Statement } from 'better-sqlite3'

/** An event as a destination worker reads it: the row's normalized fields and the payload as sent. */
export interface OutgoingRow {
  id: number
  source_id: number
  type: string
  message_id: string
  received_at: number
  timestamp: number
  original_timestamp: number | null
  sent_at: number | null
  payload: string
  /** Tracking-plan enforcement (migration 0090): 0 = never blocked, -1 = held, n > 0 = released by release n. */
  quarantine?: number
  /** What delivery leaves out and records in context.protocols (protocols/protocols-column.ts). */
  protocols?: string | null
  /** PII found at ingest, for the destination's privacy controls (privacy/controls.ts). */
  pii?: string | null
}

/** An OutgoingRow as the columns the log selects, in order (arrays: better-sqlite3 builds row objects key by key). */
export type OutgoingColumns = [number, number, string, string, number, number, number | null, number | null, string, number, string | null, string | null]

export function toOutgoingRow(c: OutgoingColumns): OutgoingRow {
  return { id: c[0], source_id: c[1], type: c[2], message_id: c[3], received_at: c[4], timestamp: c[5], original_timestamp: c[6], sent_at: c[7], payload: c[8], quarantine: c[9], protocols: c[10], pii: c[11] }
}

/** The destination's log: events of its connected sources, after its cursor and after each connection began. */
export const CONNECTED = 'FROM events e JOIN connections c ON c.destination_id = ? AND c.source_id = e.source_id WHERE e.id > ? AND e.id > c.from_event_id'

const COLUMNS = 'e.id, e.source_id, e.type, e.message_id, e.received_at, e.timestamp, e.original_timestamp, e.sent_at, e.payload, e.quarantine, e.protocols, e.pii'

export class OutgoingLog {
  private readonly batch: Statement<unknown[], OutgoingColumns>
  private readonly batchOfOne: Statement<unknown[], OutgoingColumns>
  private readonly connectionsOf: Statement<unknown[], { source_id: number; from_event_id: number }>

  constructor(db: Database) {
    this.batch = db.prepare(`SELECT ${COLUMNS} ${CONNECTED} ORDER BY e.id LIMIT ?`).raw(true) as Statement<unknown[], OutgoingColumns>
    // One source (the usual case) reads its index range in order; the join above sorts what it reads (a third
    // more time per row, measured).
    this.batchOfOne = db.prepare(`SELECT ${COLUMNS} FROM events e WHERE e.source_id = ? AND e.id > ? ORDER BY e.id LIMIT ?`).raw(true) as Statement<unknown[], OutgoingColumns>
    this.connectionsOf = db.prepare('SELECT source_id, from_event_id FROM connections WHERE destination_id = ? LIMIT 2')
  }

  /** The next events of destination `id` after `after`, as columns. */
  next(id: number, after: number, limit: number): OutgoingColumns[] {
    const connections = this.connectionsOf.all(id)
    if (connections.length === 1) return this.batchOfOne.all(connections[0]!.source_id, Math.max(after, connections[0]!.from_event_id), limit)
    return this.batch.all(id, after, limit)
  }
}
