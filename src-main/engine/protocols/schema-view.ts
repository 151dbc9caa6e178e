// What a source actually sends: every event (type + name) and every property path seen in its most recent
// events, aggregated in SQLite (json_tree) so a 100,000-event scan never builds payload objects in JS.
// Shared by the schema view (GET /api/sources/:id/schema) and plan inference (infer.ts).

import type { Database, Statement } from 'better-sqlite3'
import type { SourceSchema } from '../../../src-shared/plans'

/** The most recent events examined by default (stated in the answer's `scanned`). */
export const SCHEMA_SCAN_LIMIT = 100_000
/** Example values are shown, not stored: a long string is cut to this many characters. */
const EXAMPLE_CHARS = 80

/** A path segment: an object key, or null for "any item of an array" (Segment's `.$`). */
export type PathSegment = string | null

/** JSON types as json_tree names them (true/false folded into boolean, real into number). */
export type ObservedType = 'string' | 'integer' | 'number' | 'boolean' | 'null' | 'object' | 'array'

export interface ObservedProperty {
  segments: PathSegment[]
  types: ObservedType[]
  /** Events in which the path occurs. */
  events: number
  /** Occurrences (more than `events` under arrays: one per item). */
  occurrences: number
  /** Occurrences whose value is an object: the denominator for a child's required-ness. */
  objects: number
  /** One observed scalar value (the most recent), typed; absent for objects and arrays. */
  example?: { type: ObservedType; value: string | number | boolean | null }
}

export interface ObservedEvent {
  type: string
  name: string | null
  count: number
  firstSeen: number
  lastSeen: number
  properties: ObservedProperty[]
}

export interface ObservedStream {
  scanned: number
  events: ObservedEvent[]
}

export interface ScanWindow {
  sourceId: number
  /** Event ids (log positions), inclusive lower and exclusive upper bound: time ranges are mapped to ids by the caller. */
  minId?: number
  belowId?: number
  /** Epoch ms; the exact received_at test, after the id bounds narrowed the walk. */
  from?: number
  to?: number
  limit?: number
}

/**
 * The payload part whose paths are listed: traits for identify/group, properties for track/page/screen;
 * alias carries neither and lists nothing.
 */
const ROOT_SQL = "CASE r.type WHEN 'identify' THEN '$.traits' WHEN 'group' THEN '$.traits' WHEN 'alias' THEN '$.__loupe_none__' ELSE '$.properties' END"

/** Events aggregated per statement run: small enough that one slice blocks the event loop for tens of ms. */
const SLICE = 2000

interface PathRow {
  type: string
  name: string | null
  fullkey: string
  jtype: string
  n: number
  newest: number
  atom: unknown
}

interface PathAcc {
  segments: PathSegment[]
  types: Set<ObservedType>
  occurrences: number
  objects: number
  /** Per concrete fullkey (array indexes kept), the events holding it: one node per event per fullkey. */
  byFullkey: Map<string, number>
  example?: ObservedProperty['example']
  exampleId: number
}

export class SchemaScanner {
  private readonly statements = new Map<string, Statement>()
  /** Parsed fullkeys: a source sends few distinct ones, and parsing them per row would dominate. */
  private readonly parsed = new Map<string, PathSegment[]>()

  constructor(private readonly db: Database, private readonly slice = SLICE) {}

  /**
   * Walks the window newest-first in slices, yielding to the event loop between them. Grouping is by the
   * concrete fullkey (`items[1].sku`) in SQL; folding array indexes into `$` happens here, over the few
   * grouped rows. So a path under an array counts the events of its most frequent concrete key, a lower bound
   * of the events holding it (exact whenever some index, usually the first, carries it in every such event).
   */
  async scan(window: ScanWindow): Promise<ObservedStream> {
    const { where, params } = windowSql(window)
    const limit = window.limit ?? SCHEMA_SCAN_LIMIT
    const recent = `WITH r AS (SELECT e.id, e.type, e.name, e.received_at, e.payload FROM events e WHERE ${where} AND e.id < ? ORDER BY e.id DESC LIMIT ?)`
    const eventsSql = `${recent} SELECT r.type, r.name, COUNT(*) AS n, MIN(r.received_at) AS first, MAX(r.received_at) AS last, MIN(r.id) AS low FROM r GROUP BY r.type, r.name`
    // MAX(r.id) makes the bare `t.atom` that of the group's most recent event (SQLite's bare-column rule).
    const pathsSql = `${recent} SELECT r.type, r.name, t.fullkey, t.type AS jtype, COUNT(*) AS n, MAX(r.id) AS newest, t.atom
       FROM r, json_tree(r.payload, ${ROOT_SQL}) t WHERE t.parent IS NOT NULL GROUP BY r.type, r.name, t.fullkey, t.type`

    const byEvent = new Map<string, ObservedEvent & { paths: Map<string, PathAcc> }>()
    let scanned = 0
    let below = Number.MAX_SAFE_INTEGER
    while (scanned < limit) {
      const take = Math.min(this.slice, limit - scanned)
      const events = this.statement(eventsSql).all(...params, below, take) as { type: string; name: string | null; n: number; first: number; last: number; low: number }[]
      if (events.length === 0) break
      const paths = this.statement(pathsSql).all(...params, below, take) as PathRow[]
      let count = 0
      for (const row of events) {
        count += row.n
        below = Math.min(below, row.low)
        const key = eventKey(row.type, row.name)
        const event = byEvent.get(key)
        if (!event) byEvent.set(key, { type: row.type, name: row.name, count: row.n, firstSeen: row.first, lastSeen: row.last, properties: [], paths: new Map() })
        else {
          event.count += row.n
          event.firstSeen = Math.min(event.firstSeen, row.first)
          event.lastSeen = Math.max(event.lastSeen, row.last)
        }
      }
      for (const row of paths) this.addPath(byEvent.get(eventKey(row.type, row.name)), row)
      scanned += count
      if (count < take) break
      await new Promise((resolve) => setImmediate(resolve))
    }

    const list = [...byEvent.values()].map(({ paths, ...event }) => {
      event.properties = [...paths.values()]
        .map((acc) => {
          const property: ObservedProperty = { segments: acc.segments, types: [...acc.types].sort(), events: Math.max(...acc.byFullkey.values()), occurrences: acc.occurrences, objects: acc.objects }
          if (acc.example) property.example = acc.example
          return property
        })
        .sort((a, b) => displayPath(a.segments).localeCompare(displayPath(b.segments)))
      return event
    })
    list.sort((a, b) => b.count - a.count || a.type.localeCompare(b.type) || (a.name ?? '').localeCompare(b.name ?? ''))
    return { scanned, events: list }
  }

  private addPath(event: { paths: Map<string, PathAcc> } | undefined, row: PathRow): void {
    if (!event) return
    let segments = this.parsed.get(row.fullkey)
    if (!segments) {
      segments = parseFullKey(row.fullkey).slice(1)
      if (this.parsed.size > 100_000) this.parsed.clear()
      this.parsed.set(row.fullkey, segments)
    }
    const pathKey = JSON.stringify(segments)
    let acc = event.paths.get(pathKey)
    if (!acc) event.paths.set(pathKey, (acc = { segments, types: new Set(), occurrences: 0, objects: 0, byFullkey: new Map(), exampleId: -1 }))
    const type = observedType(row.jtype)
    acc.types.add(type)
    acc.occurrences += row.n
    if (type === 'object') acc.objects += row.n
    // A fullkey holds one type per event, so its counts over types add up to its events.
    acc.byFullkey.set(row.fullkey, (acc.byFullkey.get(row.fullkey) ?? 0) + row.n)
    if (type !== 'object' && type !== 'array' && row.newest > acc.exampleId) {
      acc.exampleId = row.newest
      acc.example = { type, value: exampleValue(row.jtype, row.atom) }
    }
  }

  private statement(sql: string): Statement {
    let statement = this.statements.get(sql)
    if (!statement) {
      statement = this.db.prepare(sql)
      this.statements.set(sql, statement)
    }
    return statement
  }
}

/** The API answer; `plannedEvent` says whether an event is in the connected plan (absent: no plan connected). */
export function toSourceSchema(sourceId: number, stream: ObservedStream, plannedEvent?: (type: string, name: string | null) => boolean): SourceSchema {
  return {
    sourceId,
    scanned: stream.scanned,
    events: stream.events.map((event) => ({
      type: event.type,
      name: event.name,
      count: event.count,
      firstSeen: new Date(event.firstSeen).toISOString(),
      lastSeen: new Date(event.lastSeen).toISOString(),
      planned: plannedEvent ? plannedEvent(event.type, event.name) : null,
      properties: event.properties.map((p) => ({
        path: displayPath(p.segments),
        types: p.types,
        count: p.events,
        example: p.example === undefined ? null : shortText(p.example.value)
      }))
    }))
  }
}

/** `items.$.sku`: Segment's notation, arrays as `.$`. */
export function displayPath(segments: PathSegment[]): string {
  return segments.map((s) => (s === null ? '$' : s)).join('.')
}

function windowSql(window: ScanWindow): { where: string; params: unknown[] } {
  const where = ['e.source_id = ?']
  const params: unknown[] = [window.sourceId]
  if (window.minId !== undefined) where.push('e.id >= ?') && params.push(window.minId)
  if (window.belowId !== undefined) where.push('e.id < ?') && params.push(window.belowId)
  if (window.from !== undefined) where.push('e.received_at >= ?') && params.push(window.from)
  if (window.to !== undefined) where.push('e.received_at < ?') && params.push(window.to)
  return { where: where.join(' AND '), params }
}

const eventKey = (type: string, name: string | null): string => `${type}\u0000${name ?? ''}\u0000${name === null ? 0 : 1}`

function observedType(jtype: string): ObservedType {
  switch (jtype) {
    case 'text':
      return 'string'
    case 'real':
      return 'number'
    case 'true':
    case 'false':
      return 'boolean'
    case 'integer':
    case 'null':
    case 'object':
    case 'array':
      return jtype
    default:
      return 'string'
  }
}

function exampleValue(jtype: string, atom: unknown): string | number | boolean | null {
  if (jtype === 'true') return true
  if (jtype === 'false') return false
  if (jtype === 'null') return null
  if (jtype === 'text') return String(atom).slice(0, EXAMPLE_CHARS)
  return typeof atom === 'number' || typeof atom === 'bigint' ? Number(atom) : String(atom)
}

function shortText(value: string | number | boolean | null): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value)
  return text.length > EXAMPLE_CHARS ? `${text.slice(0, EXAMPLE_CHARS - 1)}…` : text
}

/**
 * Splits a json_tree fullkey: `$`, then `.key`, `."quoted key"` (SQLite quotes keys that are not plain
 * identifiers, escaping as JSON does) or `[index]`.
 */
export function parseFullKey(fullkey: string): PathSegment[] {
  const segments: PathSegment[] = []
  let i = fullkey.startsWith('$') ? 1 : 0
  while (i < fullkey.length) {
    const c = fullkey[i]
    if (c === '[') {
      const end = fullkey.indexOf(']', i)
      segments.push(null)
      i = end === -1 ? fullkey.length : end + 1
    } else if (c === '.' && fullkey[i + 1] === '"') {
      let end = i + 2
      while (end < fullkey.length && fullkey[end] !== '"') end += fullkey[end] === '\\' ? 2 : 1
      const quoted = fullkey.slice(i + 1, end + 1)
      try {
        segments.push(JSON.parse(quoted) as string)
      } catch {
        segments.push(quoted.slice(1, -1))
      }
      i = end + 1
    } else if (c === '.') {
      let end = i + 1
      while (end < fullkey.length && fullkey[end] !== '.' && fullkey[end] !== '[') end++
      segments.push(fullkey.slice(i + 1, end))
      i = end
    } else i++
  }
  return segments
}
