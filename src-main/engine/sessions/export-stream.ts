// Export of a selection as NDJSON: one Segment message per line, as destinations receive it (payload plus
// type, messageId, corrected timestamp, originalTimestamp, sentAt, receivedAt), oldest first so a re-import
// keeps the log order. The line also carries the source's write key, so an import can put every event back
// into its own source (Segment's archive lines have none; they go to the chosen or "Imported" source).

import type { Database, Statement } from 'better-sqlite3'
import type { Filters } from '../http/admin/event-filters'
import { inRun, type RunScope } from '../qa/runs'
import { toOutgoingEvent } from '../routing/outgoing-event'
import type { OutgoingRow } from '../store/destinations'
import type { EventQueries } from '../store/events-query'
import { queryWords } from '../store/word-match'

export interface ExportSelection extends Filters {
  /** Only the events of this test run (qa/runs.ts decides membership). */
  run?: RunScope
}

export interface ExportDeps {
  db: Database
  queries: EventQueries
  writeKeyOf(sourceId: number): string | null
}

/** Rows read per query: big enough to amortise the statement, small enough to keep the event loop free. */
const CHUNK = 2000

/** Yields NDJSON text, a chunk of lines at a time. */
export function* exportLines(deps: ExportDeps, selection: ExportSelection): Generator<string> {
  const { sql, params } = where(deps, selection)
  const statement = deps.db.prepare(
    `SELECT e.id, e.source_id, e.type, e.message_id, e.received_at, e.timestamp, e.original_timestamp, e.sent_at, e.payload
     FROM events e WHERE e.id > ? ${sql ? `AND ${sql}` : ''} ORDER BY e.id LIMIT ${CHUNK}`
  ) as Statement<unknown[], OutgoingRow>
  const keys = new Map<number, string | null>()
  let after = selection.from !== undefined ? deps.queries.idAtOrAfter(selection.from) - 1 : 0
  for (;;) {
    const rows = statement.all(after, ...params)
    if (rows.length === 0) return
    after = rows[rows.length - 1]!.id
    let text = ''
    for (const row of rows) {
      const event = toOutgoingEvent(row)
      if (selection.run && !inRun(selection.run, { sourceId: row.source_id, receivedAt: row.received_at, payload: event })) continue
      let key = keys.get(row.source_id)
      if (key === undefined) keys.set(row.source_id, (key = deps.writeKeyOf(row.source_id)))
      if (key !== null) event.writeKey = key
      text += `${JSON.stringify(event)}\n`
    }
    if (text) yield text
    if (rows.length < CHUNK) return
  }
}

function where(deps: ExportDeps, s: ExportSelection): { sql: string; params: unknown[] } {
  const sql: string[] = []
  const params: unknown[] = []
  const add = (clause: string, ...values: unknown[]): void => {
    sql.push(clause)
    params.push(...values)
  }
  if (s.source !== undefined) add('e.source_id = ?', s.source)
  if (s.type !== undefined) add('e.type = ?', s.type)
  if (s.event !== undefined) add('e.name = ?', s.event)
  if (s.userId !== undefined) add('e.user_id = ?', s.userId)
  if (s.anonymousId !== undefined) add('e.anonymous_id = ?', s.anonymousId)
  if (s.user !== undefined) add('(e.user_id = ? OR e.anonymous_id = ?)', s.user, s.user)
  if (s.messageId !== undefined) add('e.message_id = ?', s.messageId)
  if (s.from !== undefined) add('e.received_at >= ?', s.from)
  if (s.to !== undefined) add('e.id <= ? AND e.received_at < ?', deps.queries.idBelow(s.to), s.to)
  if (s.violations) add('e.violations > 0')
  if (s.quarantined) add('e.quarantine = -1')
  if (s.pii) add("e.pii > ''")
  const words = queryWords(s.q ?? '')
  // The same word rule as the Events screen (word-match.ts); registered on this connection by EventQueries.
  if (words.length > 0) add('loupe_words_match(e.payload, ?) = 1', JSON.stringify(words))
  return { sql: sql.join(' AND '), params }
}
