// Reads of the events log for the admin API: filtered, newest first, cursor-paged.
// Plans (checked with EXPLAIN QUERY PLAN in events-query.test.ts):
//  - messageId → the dedupe index;
//  - user / anonymous id / name → `event_keys` for the indexed part, plus a scan of the unindexed tail;
//  - free text → `events_fts` for the indexed part, plus a substring scan of the tail;
//  - otherwise a backwards walk of the primary key with the filters applied as it goes.

import type { Database, Statement } from 'better-sqlite3'
import type { EventRecord, EventSummary, EventsPage } from '../../../src-shared/api'
import type { SegmentType } from '../../../src-shared/segment'
import { ORDER_SLACK_MS, TimeBounds } from './time-bounds'

export interface EventSearch {
  source?: number
  type?: SegmentType
  event?: string
  userId?: string
  anonymousId?: string
  user?: string
  messageId?: string
  q?: string
  /** Epoch ms, inclusive. */
  from?: number
  /** Epoch ms, exclusive. */
  to?: number
  limit: number
  /** Only events with a smaller id (the cursor of the previous page). */
  before?: number
}

interface EventRowDb {
  id: number
  source_id: number
  type: SegmentType
  name: string | null
  user_id: string | null
  anonymous_id: string | null
  message_id: string
  message_id_generated: number
  received_at: number
  timestamp: number
  original_timestamp: number | null
  sent_at: number | null
  size: number
  warnings: string | null
  payload?: string
}

const SUMMARY_COLUMNS = 'e.id, e.source_id, e.type, e.name, e.user_id, e.anonymous_id, e.message_id, e.message_id_generated, e.received_at, e.timestamp, e.original_timestamp, e.sent_at, e.size, e.warnings'

interface Part {
  sql: string
  params: unknown[]
}

export class EventQueries {
  private readonly bounds: TimeBounds
  private readonly statements = new Map<string, Statement<unknown[], EventRowDb>>()

  constructor(private readonly db: Database, private readonly indexedThrough: () => number) {
    this.bounds = new TimeBounds(db)
  }

  search(search: EventSearch): EventsPage {
    const want = search.limit + 1
    let rows: EventRowDb[] = []
    for (const part of this.plan(search)) {
      rows = rows.concat(this.statement(part.sql).all(...part.params, want - rows.length))
      if (rows.length >= want) break
    }
    const page = rows.slice(0, search.limit)
    return {
      events: page.map(toSummary),
      nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1]!.id) : null
    }
  }

  get(id: number): EventRecord | null {
    const row = this.statement(`SELECT ${SUMMARY_COLUMNS}, e.payload FROM events e WHERE e.id = ?`).get(id)
    return row ? toRecord(row) : null
  }

  /** What SQLite does for each part of a search (EXPLAIN QUERY PLAN details). */
  explain(search: EventSearch): string[] {
    return this.plan(search).flatMap((part) =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${part.sql}`).all(...part.params, 1) as { detail: string }[]).map((r) => r.detail)
    )
  }

  /** The queries of a search, newest events first; each takes the remaining row count as last parameter. */
  private plan(search: EventSearch): Part[] {
    const where = this.residual(search)
    if (search.messageId !== undefined) return [select('FROM events e', where, ['e.message_id = ?'], [search.messageId])]
    const keys = driverKeys(search)
    const needle = search.q?.trim() ? search.q.trim().toLowerCase() : null
    if (keys.length === 0 && needle === null) return [select('FROM events e', where, [], [])]

    const through = this.indexedThrough()
    const tail = select('FROM events e', where, needle ? ['e.id > ?', 'instr(lower(e.payload), ?) > 0'] : ['e.id > ?'], needle ? [through, needle] : [through])
    const match = needle ? ftsQuery(needle) : null
    if (keys.length === 0 && match === null) return [tail]
    const indexedSql = ['e.id <= ?']
    const indexedParams: unknown[] = [through]
    if (match) {
      indexedSql.push('e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)')
      indexedParams.push(match)
    }
    const indexed = keys.length > 0
      ? select(`FROM event_keys k JOIN events e ON e.id = k.event_id AND k.key IN (${keys.map(() => '?').join(', ')})`, where, indexedSql, indexedParams, keys, 'k.event_id DESC')
      : select('FROM events e', where, indexedSql, indexedParams)
    return [tail, indexed]
  }

  /** Conditions every plan applies: exact filters, cursor, time range. */
  private residual(search: EventSearch): Part {
    const sql: string[] = []
    const params: unknown[] = []
    const add = (clause: string, ...values: unknown[]): void => {
      sql.push(clause)
      params.push(...values)
    }
    if (search.source !== undefined) add('e.source_id = ?', search.source)
    if (search.type !== undefined) add('e.type = ?', search.type)
    if (search.event !== undefined) add('e.name = ?', search.event)
    if (search.userId !== undefined) add('e.user_id = ?', search.userId)
    if (search.anonymousId !== undefined) add('e.anonymous_id = ?', search.anonymousId)
    if (search.user !== undefined) add('(e.user_id = ? OR e.anonymous_id = ?)', search.user, search.user)
    if (search.before !== undefined) add('e.id < ?', search.before)
    if (search.from !== undefined) {
      add('e.id >= ?', this.bounds.firstIdAtOrAfter(search.from - ORDER_SLACK_MS))
      add('e.received_at >= ?', search.from)
    }
    if (search.to !== undefined) {
      add('e.id < ?', this.bounds.firstIdAtOrAfter(search.to + ORDER_SLACK_MS))
      add('e.received_at < ?', search.to)
    }
    return { sql: sql.join(' AND '), params }
  }

  private statement(sql: string): Statement<unknown[], EventRowDb> {
    let stmt = this.statements.get(sql)
    if (!stmt) {
      if (this.statements.size > 200) this.statements.clear()
      stmt = this.db.prepare(sql) as Statement<unknown[], EventRowDb>
      this.statements.set(sql, stmt)
    }
    return stmt
  }
}

function select(from: string, where: Part, extraSql: string[], extraParams: unknown[], leadingParams: unknown[] = [], order = 'e.id DESC'): Part {
  const clauses = [where.sql, ...extraSql].filter(Boolean)
  return {
    sql: `SELECT ${SUMMARY_COLUMNS} ${from}${clauses.length ? ` WHERE ${clauses.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`,
    params: [...leadingParams, ...where.params, ...extraParams]
  }
}

/** Exact-lookup keys that can drive the query, most selective first (one kind only). */
function driverKeys(search: EventSearch): string[] {
  if (search.userId !== undefined) return [`u:${search.userId}`]
  if (search.anonymousId !== undefined) return [`a:${search.anonymousId}`]
  if (search.user !== undefined) return [`u:${search.user}`, `a:${search.user}`]
  if (search.event !== undefined) return [`n:${search.event}`]
  return []
}

/** Free text → an FTS5 phrase of its words, the last one a prefix: "ada@exam" → "ada exam"*. */
export function ftsQuery(text: string): string | null {
  const words = text.match(/[\p{L}\p{N}]+/gu)
  if (!words) return null
  return `"${words.join(' ')}"*`
}

export function encodeCursor(id: number): string {
  return Buffer.from(`before:${id}`).toString('base64url')
}

export function decodeCursor(cursor: string): number | null {
  const match = /^before:(\d{1,16})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  return match ? Number(match[1]) : null
}

function iso(ms: number | null): string | null {
  if (ms === null) return null
  const date = new Date(ms)
  return Number.isNaN(date.getTime()) ? null : date.toISOString()
}

function toSummary(row: EventRowDb): EventSummary {
  return {
    id: String(row.id),
    sourceId: row.source_id,
    type: row.type,
    name: row.name,
    userId: row.user_id,
    anonymousId: row.anonymous_id,
    messageId: row.message_id,
    receivedAt: iso(row.received_at)!,
    timestamp: iso(row.timestamp) ?? iso(row.received_at)!,
    size: row.size,
    warnings: row.warnings ? JSON.parse(row.warnings) : []
  }
}

function toRecord(row: EventRowDb): EventRecord {
  return {
    ...toSummary(row),
    originalTimestamp: iso(row.original_timestamp),
    sentAt: iso(row.sent_at),
    messageIdGenerated: row.message_id_generated === 1,
    payload: JSON.parse(row.payload!)
  }
}
