// Reads of the events log for the admin API: filtered, newest first, cursor-paged.
// Plans (EXPLAIN QUERY PLAN is asserted in events-api.test.ts; latency over 1M events in bench/RESULTS.md):
//  - messageId → the dedupe index;
//  - user / anonymous id / name → `event_keys` for the indexed part, plus a scan of the not-yet-indexed tail;
//  - free text alone → `events_fts` walked newest-first in chunks, plus the same word match on the tail;
//  - source / type / nothing → a backwards walk of the primary key or of (source, id) / (type, id).

import type { Database, Statement } from 'better-sqlite3'
import type { EventRecord, EventSummary, EventsPage } from '../../../src-shared/api'
import type { SegmentType } from '../../../src-shared/segment'
import type { EventValidation } from '../../../src-shared/enforcement'
import type { ViolationKind } from '../../../src-shared/plans'
import type { Classification, Finding } from '../../../src-shared/privacy'
import type { StoredProtocols } from '../protocols/protocols-column'
import { TimeBounds } from './time-bounds'
import { ftsMatch, matchesWords, queryWords } from './word-match'

export interface EventSearch {
  source?: number
  type?: SegmentType
  event?: string
  userId?: string
  anonymousId?: string
  user?: string
  messageId?: string
  q?: string
  /** Only events with tracking-plan violations / only events held in quarantine. */
  violations?: boolean
  quarantined?: boolean
  pii?: boolean
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
  violations: number
  quarantine: number
  pii: string | null
  payload?: string
  protocols?: string | null
}

const SUMMARY_COLUMNS = 'e.id, e.source_id, e.type, e.name, e.user_id, e.anonymous_id, e.message_id, e.message_id_generated, e.received_at, e.timestamp, e.original_timestamp, e.sent_at, e.size, e.warnings, e.violations, e.quarantine, e.pii'

/** One query of a plan; its last parameter (the row count still wanted) is added when it runs. */
interface Part {
  sql: string
  params: unknown[]
  /** Free text over the indexed part: walked through events_fts in chunks of rowids. */
  fts?: { match: string; below: number; atLeast: number }
}

export interface PiiClassifier {
  highest(pii: string | null): Classification | null
  findings(pii: string | null, payload?: unknown): Finding[]
}

export interface QueryLimits {
  /** Rowids read from the full-text index at a time. */
  ftsChunk: number
  /** Chunks a page may walk (~0.3 s in all); past that it answers what it found and a cursor to go on from. */
  ftsMaxChunks: number
}

const DEFAULT_LIMITS: QueryLimits = { ftsChunk: 1000, ftsMaxChunks: 50 }

export class EventQueries {
  private readonly bounds: TimeBounds
  private readonly statements = new Map<string, Statement<unknown[], EventRowDb>>()
  private readonly ftsChunk: Statement<unknown[], number>
  private readonly violationsOf: Statement<unknown[], ViolationDb>

  constructor(
    private readonly db: Database,
    private readonly indexedThrough: () => number,
    private readonly limits: QueryLimits = DEFAULT_LIMITS,
    /** Classifies an event's PII findings with the privacy settings in force (privacy/policy.ts). */
    private readonly pii: PiiClassifier = { highest: () => null, findings: () => [] }
  ) {
    this.bounds = new TimeBounds(db)
    let parsed: { json: string; words: string[] } = { json: '[]', words: [] }
    db.function('loupe_words_match', { deterministic: true }, (payload: unknown, json: unknown) => {
      if (json !== parsed.json) parsed = { json: String(json), words: JSON.parse(String(json)) as string[] }
      return matchesWords(String(payload), parsed.words) ? 1 : 0
    })
    this.violationsOf = db.prepare('SELECT kind, pointer, expected, actual, message FROM event_violations WHERE event_id = ? ORDER BY seq')
    this.ftsChunk = db.prepare('SELECT rowid FROM events_fts WHERE events_fts MATCH ? AND rowid < ? AND rowid >= ? ORDER BY rowid DESC LIMIT ?').pluck() as Statement<unknown[], number>
  }

  search(search: EventSearch): EventsPage {
    const want = search.limit + 1
    let rows: EventRowDb[] = []
    for (const part of this.plan(search)) {
      if (part.fts) {
        const walked = this.runFts(part, want - rows.length)
        rows = rows.concat(walked.rows)
        // Out of budget before the page filled: more may match further down; say where to go on.
        if (walked.stoppedAt !== null && rows.length < want) return { events: rows.map((r) => this.summary(r)), nextCursor: encodeCursor(walked.stoppedAt) }
      } else rows = rows.concat(this.statement(part.sql).all(...part.params, want - rows.length))
      if (rows.length >= want) break
    }
    const page = rows.slice(0, search.limit)
    return {
      events: page.map((r) => this.summary(r)),
      nextCursor: rows.length > search.limit ? encodeCursor(page[page.length - 1]!.id) : null
    }
  }

  /** A profile's events across all its identities, newest event time first; `before` is the last one's (time, id). */
  profileEvents(profileId: number, before: { at: number; id: number } | null, limit: number): EventsPage {
    const b = before ?? { at: Number.MAX_SAFE_INTEGER, id: Number.MAX_SAFE_INTEGER }
    const rows = this.statement(
      `SELECT ${SUMMARY_COLUMNS} FROM event_profiles p JOIN events e ON e.id = p.event_id WHERE p.profile_id = ? AND (p.at, p.event_id) < (?, ?) ORDER BY p.at DESC, p.event_id DESC LIMIT ?`
    ).all(profileId, b.at, b.id, limit + 1)
    const page = rows.slice(0, limit)
    const last = page[page.length - 1]
    return { events: page.map((r) => this.summary(r)), nextCursor: rows.length > limit && last ? Buffer.from(`${last.timestamp}.${last.id}`).toString('base64url') : null }
  }

  private summary(row: EventRowDb): EventSummary {
    return { ...toSummary(row), pii: this.pii.highest(row.pii) }
  }

  /** The smallest id that may hold an event received at or after `time` (exact test left to the caller). */
  idAtOrAfter(time: number): number {
    return this.bounds.lowerId(time)
  }

  /** Every event received before `time` has an id at most this. */
  idBelow(time: number): number {
    return this.bounds.upperId(time) - 1
  }

  get(id: number): EventRecord | null {
    const row = this.statement(`SELECT ${SUMMARY_COLUMNS}, e.payload, e.protocols FROM events e WHERE e.id = ?`).get(id)
    if (!row) return null
    const base = toRecord(row)
    const record = { ...base, pii: this.pii.highest(row.pii), findings: this.pii.findings(row.pii, base.payload) }
    if (row.protocols) record.validation = validationOf(row.protocols, this.violationsOf.all(id))
    return record
  }

  /** What SQLite does for each part of a search (EXPLAIN QUERY PLAN details). */
  explain(search: EventSearch): string[] {
    const detail = (sql: string, params: unknown[]): string[] =>
      (this.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail)
    return this.plan(search).flatMap((part) =>
      part.fts
        ? [...detail(this.ftsChunk.source, [part.fts.match, part.fts.below, part.fts.atLeast, this.limits.ftsChunk]), ...detail(part.sql, [...part.params, '[]', 1])]
        : detail(part.sql, [...part.params, 1])
    )
  }

  /** The queries of a search, newest events first. */
  private plan(search: EventSearch): Part[] {
    const where = this.residual(search)
    if (search.messageId !== undefined) return [select('FROM events e', where, ['e.message_id = ?'], [search.messageId])]
    const keys = driverKeys(search)
    const words = queryWords(search.q ?? '')
    if (keys.length === 0 && words.length === 0) return [select('FROM events e', where, [], [])]

    // Newest first: the tail the indexer has not reached yet, scanned; then the indexed part.
    // Free text means the same in both (word-match.ts): FTS5 in the index, the same rule in JS on the tail.
    const through = this.indexedThrough()
    const text = words.length > 0 ? ['loupe_words_match(e.payload, ?) = 1'] : []
    const textParams = words.length > 0 ? [JSON.stringify(words)] : []
    const tail = select('FROM events e', where, ['e.id > ?', ...text], [through, ...textParams])
    if (keys.length === 1) {
      const indexed = select('FROM event_keys k JOIN events e ON e.id = k.event_id AND k.key = ?', where, ['k.event_id <= ?', ...text], [through, ...textParams], keys, 'k.event_id DESC')
      return [tail, indexed]
    }
    if (keys.length > 1) {
      // userId or anonymousId: both keys may point at the same event (an SDK that copies one into the other).
      const ids = `e.id IN (SELECT event_id FROM event_keys WHERE key IN (${keys.map(() => '?').join(', ')}) AND event_id <= ?)`
      return [tail, select('FROM events e', where, [ids, ...text], [...keys, through, ...textParams])]
    }
    const match = ftsMatch(words)
    const below = Math.min(search.before ?? Number.MAX_SAFE_INTEGER, through + 1, search.to !== undefined ? this.bounds.upperId(search.to) : Number.MAX_SAFE_INTEGER)
    const atLeast = search.from !== undefined ? this.bounds.lowerId(search.from) : 0
    const chunk = select('FROM events e', where, ['e.id IN (SELECT value FROM json_each(?))'], [])
    return [tail, { ...chunk, fts: { match, below, atLeast } }]
  }

  /**
   * Walks the full-text index newest-first in chunks, keeping the events that pass the other filters.
   * `stoppedAt`: the last rowid walked when the budget ran out (null when the index was exhausted).
   */
  private runFts(part: Part, wanted: number): { rows: EventRowDb[]; stoppedAt: number | null } {
    const { match, atLeast } = part.fts!
    let below = part.fts!.below
    const out: EventRowDb[] = []
    const rows = this.statement(part.sql)
    for (let chunk = 0; out.length < wanted; chunk++) {
      if (chunk === this.limits.ftsMaxChunks) return { rows: out, stoppedAt: below }
      const ids = this.ftsChunk.all(match, below, atLeast, this.limits.ftsChunk)
      if (ids.length === 0) break
      out.push(...rows.all(...part.params, JSON.stringify(ids), wanted - out.length))
      below = ids[ids.length - 1]!
    }
    return { rows: out, stoppedAt: null }
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
    // Written as the partial indexes' own conditions (migration 0090), so SQLite can walk them.
    if (search.violations) add('e.violations > 0')
    if (search.quarantined) add('e.quarantine = -1')
    if (search.pii) add("e.pii > ''")
    if (search.from !== undefined) {
      add('e.id >= ?', this.bounds.lowerId(search.from))
      add('e.received_at >= ?', search.from)
    }
    if (search.to !== undefined) {
      add('e.id < ?', this.bounds.upperId(search.to))
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
    warnings: row.warnings ? JSON.parse(row.warnings) : [],
    violations: row.violations,
    quarantine: row.quarantine === 0 ? null : row.quarantine < 0 ? 'held' : 'released',
    pii: null
  }
}

function toRecord(row: EventRowDb): EventRecord {
  return {
    ...toSummary(row),
    originalTimestamp: iso(row.original_timestamp),
    sentAt: iso(row.sent_at),
    messageIdGenerated: row.message_id_generated === 1,
    payload: JSON.parse(row.payload!),
    validation: null,
    findings: []
  }
}

interface ViolationDb {
  kind: ViolationKind
  pointer: string
  expected: string | null
  actual: string | null
  message: string
}

function validationOf(protocols: string, rows: ViolationDb[]): EventValidation {
  const { loupe } = JSON.parse(protocols) as StoredProtocols
  return {
    planId: loupe.planId,
    planVersion: loupe.planVersion,
    violations: rows.map((v) => ({ kind: v.kind, pointer: v.pointer, expected: v.expected, actual: v.actual, message: v.message })),
    omitted: loupe.omit ?? [],
    blockedBecause: loupe.blocked ?? null
  }
}
