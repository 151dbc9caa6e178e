// One delivered event → the rows Segment's warehouse schema has for it
// (https://segment.com/docs/connections/storage/warehouses/schema/): `tracks` plus the event's own table for a
// track, `identifies` plus `users` for an identify, `pages`, `screens`, `groups`, `aliases`. Pure: no SQL, no
// types — the loader infers column types and quotes every name with quoteIdent.

import { columnPart, finishColumn, tableName } from './naming'

export type WarehouseValue = string | number | boolean | null

export interface WarehouseRow {
  table: string
  /** Column → value. Names are [a-z0-9_], at most 63 bytes; a null is a value, not "no column" (see below). */
  values: Record<string, WarehouseValue>
  /** Columns left out because the row already had MAX_COLUMNS; the loader reports them. */
  dropped: number
  /** Values left out because an earlier key had the same column name (`orderId`, `order_id`); reported too. */
  shadowed: number
}

/**
 * PostgreSQL allows 1,600 columns a table; Segment "does not allow unbounded property spaces". A cap per row
 * keeps one hostile event from widening a table by thousands of columns.
 */
export const MAX_COLUMNS = 1000

/**
 * Nesting deeper than this is kept as JSON text in the column of its path rather than flattened further: the
 * data survives, and a deeply nested payload cannot mint ever-longer column names.
 */
export const MAX_DEPTH = 10

/** Columns every row but `users` has (Segment's schema page; `uuid_ts` is our load time). */
const COMMON = ['id', 'received_at', 'sent_at', 'timestamp', 'original_timestamp', 'user_id', 'anonymous_id', 'uuid_ts']

/**
 * Segment: "Segment discards properties with the same name as the reserved column name (for example,
 * `user_id`)" — properties and traits are un-prefixed, so they would otherwise collide. Reserved are the
 * columns of the table the property lands in, plus `uuid` and `loaded_at`, which Segment's schema page lists
 * as its own.
 */
const BASE_RESERVED = [...COMMON, 'uuid', 'loaded_at']
const TRACK_RESERVED = new Set([...BASE_RESERVED, 'event', 'event_text'])
const PAGE_RESERVED = new Set([...BASE_RESERVED, 'name'])
const GROUP_RESERVED = new Set([...BASE_RESERVED, 'group_id'])
const PLAIN_RESERVED = new Set(BASE_RESERVED)

type Column = [string, WarehouseValue]

class RowBuilder {
  readonly values: Record<string, WarehouseValue> = {}
  private count = 0
  dropped = 0
  shadowed = 0

  constructor(readonly table: string) {}

  /**
   * First writer wins: the standard columns go in first, so a property (or a context key) that lands on a
   * name already in the row never overwrites it. Two keys that snake_case alike (`fooBar`, `foo_bar`) keep
   * the first one's value.
   */
  set(column: string, value: WarehouseValue): void {
    if (Object.prototype.hasOwnProperty.call(this.values, column)) {
      // The same value twice (analytics.js sends a page's category at the top and in properties) loses nothing.
      if (this.values[column] !== value) this.shadowed++
      return
    }
    if (this.count >= MAX_COLUMNS) {
      this.dropped++
      return
    }
    this.values[column] = value
    this.count++
  }

  setAll(columns: Column[]): void {
    for (const [column, value] of columns) this.set(column, value)
  }

  row(): WarehouseRow {
    return { table: this.table, values: this.values, dropped: this.dropped, shadowed: this.shadowed }
  }
}

// PostgreSQL text cannot hold NUL, and UTF-8 cannot encode a lone surrogate; either would fail the whole batch.
// (isWellFormed/toWellFormed are ES2024, in Node 20 but not in the ES2023 lib this project compiles against.)
type WellFormed = string & { isWellFormed(): boolean; toWellFormed(): string }

function cleanText(s: string): string {
  const noNul = (s.includes('\0') ? s.replace(/\0/g, '') : s) as WellFormed
  // Checked first: nearly every string is well formed, and the check costs less than a replace.
  return noNul.isWellFormed() ? noNul : noNul.toWellFormed()
}

/** JSON escapes NUL and lone surrogates itself; a pathological nesting depth makes it throw. */
function jsonText(v: unknown): string | null {
  try {
    return JSON.stringify(v) ?? null
  } catch {
    return null
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

/** Segment: arrays are stringified; JSON text, so they can be read back with `::jsonb`. */
function leafValue(v: unknown): WarehouseValue {
  if (typeof v === 'string') return cleanText(v)
  if (typeof v === 'number') return Number.isFinite(v) ? v : null
  if (typeof v === 'boolean') return v
  if (Array.isArray(v) || isObject(v)) return jsonText(v)
  if (typeof v === 'bigint') return v.toString()
  return null
}

/** An id (messageId, userId, groupId…) is text even when a client sent a number, as Segment's libraries coerce it. */
function idValue(v: unknown): string | null {
  if (typeof v === 'string') return cleanText(v)
  if ((typeof v === 'number' && Number.isFinite(v)) || typeof v === 'boolean') return String(v)
  if (Array.isArray(v) || isObject(v)) return jsonText(v)
  return null
}

/** The engine delivers ISO strings; anything else could not be cast to a timestamp, so it is null. */
function timeValue(v: unknown): string | null {
  return typeof v === 'string' ? cleanText(v) : null
}

/**
 * Nested objects flattened with `_` (Segment: "context.field.nestedA.nestedB becomes a column called
 * context_field_nestedA_nestedB"), each key snake_cased. An empty object yields no column. Nulls are kept as
 * nulls: Segment "creates and populates a column only when it receives a non-null value", so the loader must
 * not create a column from a null alone — but a null for an existing column is still the event's value.
 */
function flattenInto(
  obj: Record<string, unknown>,
  prefix: string,
  depth: number,
  emit: (column: string, value: WarehouseValue) => void
): void {
  const names = namesUnder(prefix)
  for (const key of Object.keys(obj)) {
    const v = obj[key]
    let name = names.get(key)
    if (name === undefined) name = nameOf(names, prefix, key)
    if (isObject(v) && depth < MAX_DEPTH) flattenInto(v, name.joined, depth + 1, emit)
    else emit(name.column, leafValue(v))
  }
}

/**
 * A key under a prefix → its joined path and finished column name. The same keys under the same prefixes come
 * in every event (context.library.name, the properties of an event name): named once each, not per event.
 * Bounded like naming.ts's own cache: hostile keys cannot grow it without end.
 */
interface Name {
  joined: string
  column: string
}
const NAMES_MAX = 10_000
const MAX_CACHED_PATH = 128
let namesCached = 0
const namesByPrefix = new Map<string, Map<string, Name>>()

/** Names kept now (tests: the cache stays bounded). */
export const keptNames = (): number => namesCached

function namesUnder(prefix: string): Map<string, Name> {
  let names = namesByPrefix.get(prefix)
  if (names === undefined) namesByPrefix.set(prefix, (names = new Map()))
  return names
}

function nameOf(names: Map<string, Name>, prefix: string, key: string): Name {
  const joined = prefix === '' ? columnPart(key) : `${prefix}_${columnPart(key)}`
  const name = { joined, column: finishColumn(joined) }
  // Long paths are named each time, not kept: keys are attacker-controlled, and 10,000 kept 30 KB paths would
  // hold 300 MB (real column names are at most 63 bytes; longer ones are cut and hashed anyway).
  if (joined.length > MAX_CACHED_PATH || prefix.length > MAX_CACHED_PATH) return name
  if (namesCached >= NAMES_MAX) {
    // Emptied in place: a caller may hold one of these maps (namesUnder) for the rest of its object.
    for (const map of namesByPrefix.values()) map.clear()
    namesByPrefix.clear()
    namesCached = 0
  }
  names.set(key, name)
  namesCached++
  return name
}

function contextColumns(event: Record<string, unknown>): Column[] {
  const out: Column[] = []
  if (isObject(event.context)) flattenInto(event.context, 'context', 2, (c, v) => out.push([c, v]))
  return out
}

function commonColumns(event: Record<string, unknown>, loadedAt: string): Column[] {
  return [
    ['id', idValue(event.messageId)],
    ['received_at', timeValue(event.receivedAt)],
    ['sent_at', timeValue(event.sentAt)],
    ['timestamp', timeValue(event.timestamp)],
    ['original_timestamp', timeValue(event.originalTimestamp)],
    ['user_id', idValue(event.userId)],
    ['anonymous_id', idValue(event.anonymousId)],
    ['uuid_ts', loadedAt]
  ]
}

/** Properties or traits as un-prefixed columns, minus Segment's reserved names for that table. */
function addCustom(row: RowBuilder, data: unknown, reserved: ReadonlySet<string>): void {
  if (!isObject(data)) return
  flattenInto(data, '', 1, (column, value) => {
    if (!reserved.has(column)) row.set(column, value)
  })
}

function build(table: string, ...groups: Column[][]): RowBuilder {
  const row = new RowBuilder(table)
  for (const columns of groups) row.setAll(columns)
  return row
}

/**
 * The rows of one event. `loadedAt` (ISO time of this load) becomes `uuid_ts`, which Segment describes as
 * when "the specific event was last processed by our connector". An unknown `type` yields no rows.
 */
export function flattenEvent(event: Record<string, unknown>, loadedAt: string): WarehouseRow[] {
  const common = commonColumns(event, loadedAt)
  switch (event.type) {
    case 'track': {
      const eventText = idValue(event.event) ?? ''
      // Segment's `event` is "the slug of the event name, mapping to an event-specific table", so it is the
      // table name itself (including its `_` prefix when the name clashed), and `tracks` joins to it.
      const slug = tableName(eventText)
      const named: Column[] = [['event', slug], ['event_text', eventText]]
      const context = contextColumns(event)
      const tracks = build('tracks', common, named, context)
      const own = build(slug, common, named, context)
      addCustom(own, event.properties, TRACK_RESERVED)
      return [tracks.row(), own.row()]
    }
    case 'identify': {
      const identifies = build('identifies', common, contextColumns(event))
      addCustom(identifies, event.traits, PLAIN_RESERVED)
      const rows = [identifies.row()]
      const userId = idValue(event.userId)
      // `users` is upserted on user_id ("The id column in the users table is the same as the user_id column in
      // the identifies table"); an anonymous identify has no user to upsert. No context, no anonymous_id.
      if (userId !== null && userId !== '') {
        const users = build('users', [['id', userId], ['received_at', timeValue(event.receivedAt)], ['uuid_ts', loadedAt]])
        addCustom(users, event.traits, PLAIN_RESERVED)
        rows.push(users.row())
      }
      return rows
    }
    case 'page':
    case 'screen': {
      const named: Column[] = [['name', idValue(event.name)]]
      // Segment's page call has an optional top-level category; when absent a `category` property may fill it.
      if (event.type === 'page' && event.category !== undefined && event.category !== null) {
        named.push(['category', idValue(event.category)])
      }
      const row = build(event.type === 'page' ? 'pages' : 'screens', common, named, contextColumns(event))
      addCustom(row, event.properties, PAGE_RESERVED)
      return [row.row()]
    }
    case 'group': {
      const row = build('groups', common, [['group_id', idValue(event.groupId)]], contextColumns(event))
      addCustom(row, event.traits, GROUP_RESERVED)
      return [row.row()]
    }
    case 'alias':
      return [build('aliases', common, [['previous_id', idValue(event.previousId)]], contextColumns(event)).row()]
    default:
      return []
  }
}
