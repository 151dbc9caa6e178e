// Segment's warehouse naming rules as they apply to PostgreSQL: event names, property paths and source names
// become schema, table and column identifiers. Every input here is attacker-influenced (event names and
// property keys come from clients), so every output is [a-z0-9_] only, at most 63 bytes, deterministic, and
// still goes through quoteIdent before it reaches SQL.
//
// Sources: https://segment.com/docs/connections/storage/warehouses/schema/ ("All schemas convert collection and
// property names from CamelCase to snake_case using the go-snakecase package"); Segment's Redshift FAQ
// https://segment.com/docs/connections/storage/warehouses/redshift-faq/ ("we prepend a _ to any reserved word
// names", e.g. `_open`); PostgreSQL's identifier limit (NAMEDATALEN 64 → 63 bytes, longer names are silently
// truncated by the server) and keyword list (src/include/parser/kwlist.h).

import { createHash } from 'node:crypto'

/** PostgreSQL truncates longer identifiers silently, which would make two long names one column. */
export const IDENT_MAX_BYTES = 63

/**
 * The tables Segment creates in every source schema (plus `accounts`, Segment's beta group upsert table): an
 * event may not take one of these names. Segment does not document what it does with an event called
 * "Tracks"; its open-source peer RudderStack (rudder-transformer `excludeRudderCreatedTableNames`) prefixes
 * `_`, the same mark Segment uses for reserved words, so `Tracks` → `_tracks`.
 */
export const SEGMENT_TABLES: ReadonlySet<string> = new Set([
  'tracks', 'identifies', 'users', 'pages', 'screens', 'groups', 'aliases', 'accounts'
])

/**
 * PostgreSQL keywords that cannot be a column or table name unquoted (kwlist.h RESERVED_KEYWORD and
 * TYPE_FUNC_NAME_KEYWORD). We always quote, so these would work, but a warehouse is queried by hand: Segment
 * prefixes reserved words with `_` so nobody has to quote `_order` or `_user`.
 */
const PG_RESERVED: ReadonlySet<string> = new Set([
  // RESERVED_KEYWORD
  'all', 'analyse', 'analyze', 'and', 'any', 'array', 'as', 'asc', 'asymmetric', 'both', 'case', 'cast', 'check',
  'collate', 'column', 'constraint', 'create', 'current_catalog', 'current_date', 'current_role', 'current_time',
  'current_timestamp', 'current_user', 'default', 'deferrable', 'desc', 'distinct', 'do', 'else', 'end', 'except',
  'false', 'fetch', 'for', 'foreign', 'from', 'grant', 'group', 'having', 'in', 'initially', 'intersect', 'into',
  'lateral', 'leading', 'limit', 'localtime', 'localtimestamp', 'not', 'null', 'offset', 'on', 'only', 'or',
  'order', 'placing', 'primary', 'references', 'returning', 'select', 'session_user', 'some', 'symmetric',
  'system_user', 'table', 'then', 'to', 'trailing', 'true', 'union', 'unique', 'user', 'using', 'variadic', 'when',
  'where', 'window', 'with',
  // TYPE_FUNC_NAME_KEYWORD
  'authorization', 'binary', 'collation', 'concurrently', 'cross', 'current_schema', 'freeze', 'full', 'ilike',
  'inner', 'is', 'isnull', 'join', 'left', 'like', 'natural', 'notnull', 'outer', 'overlaps', 'right', 'similar',
  'tablesample', 'verbose'
])

const isLower = (c: number): boolean => c >= 97 && c <= 122
const isUpper = (c: number): boolean => c >= 65 && c <= 90
const isDigit = (c: number): boolean => c >= 48 && c <= 57
const UNDERSCORE = 95

/**
 * A port of segmentio/go-snakecase (the package Segment's docs name), kept quirk for quirk so Loupe's table and
 * column names are the ones Segment would create: only ASCII letters and digits survive, everything else
 * (spaces, punctuation, accented and other non-ASCII letters) separates words, so "Café Viewed" → `caf_viewed`
 * exactly as in Segment; a run of capitals stays one word (`CStringRef` → `cstring_ref`); digits stick to the
 * word before them (`Base64Encode` → `base64_encode`).
 */
export function snakecase(s: string): string {
  let idx = 0
  const n = s.length
  // Already snake_case: lowercase, digits, and single underscores between them.
  while (
    idx < n &&
    (isLower(s.charCodeAt(idx)) ||
      isDigit(s.charCodeAt(idx)) ||
      (s.charCodeAt(idx) === UNDERSCORE && idx < n - 1 && (isLower(s.charCodeAt(idx + 1)) || isDigit(s.charCodeAt(idx + 1)))))
  ) {
    idx++
  }
  if (idx === n) return s
  // go-snakecase: "handles digit followed by an uppercase character".
  if (idx > 0 && isDigit(s.charCodeAt(idx - 1))) idx--
  let out = s.slice(0, idx)
  while (idx < n) {
    const c = s.charCodeAt(idx)
    if (!(isLower(c) || isUpper(c) || isDigit(c))) {
      idx++
      continue
    }
    if (out.length > 0) out += '_'
    while (idx < n && (isUpper(s.charCodeAt(idx)) || isDigit(s.charCodeAt(idx)))) {
      out += String.fromCharCode(s.charCodeAt(idx) | 0x20)
      idx++
    }
    while (idx < n && (isLower(s.charCodeAt(idx)) || isDigit(s.charCodeAt(idx)))) {
      out += s[idx]
      idx++
    }
  }
  return out
}

function hash8(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 8)
}

/**
 * A name with no ASCII letter or digit ("注文完了", "", "!!!") snake_cases to nothing; Segment does not document
 * that case. A hash of the original keeps different names apart (all-Japanese event names would otherwise
 * share one table) and is stable across loads.
 */
function orHash(snake: string, raw: string): string {
  return snake === '' ? `_${hash8(raw)}` : snake
}

/**
 * Over 63 bytes: a prefix plus a hash of the whole name, so two long names that share their first 63
 * characters stay two columns (PostgreSQL's own truncation, and RudderStack's, would merge them).
 * Names here are ASCII, so characters are bytes.
 */
function fit(name: string): string {
  if (name.length <= IDENT_MAX_BYTES) return name
  const head = name.slice(0, IDENT_MAX_BYTES - 9).replace(/_+$/, '')
  return `${head}_${hash8(name)}`
}

/** Unquoted identifiers cannot start with a digit; RudderStack prefixes `_` there too (`toSafeDBString`). */
function finish(name: string, reserved: (n: string) => boolean): string {
  let out = isDigit(name.charCodeAt(0)) ? `_${name}` : name
  if (reserved(out)) out = `_${out}`
  return fit(out)
}

/** Property keys repeat in every event; snake_casing them once each keeps flattening cheap. Bounded. */
const partCache = new Map<string, string>()
const PART_CACHE_MAX = 10_000

/** One property key as a column-name part (not yet checked for digits, reserved words or length). */
export function columnPart(key: string): string {
  let part = partCache.get(key)
  if (part === undefined) {
    part = orHash(snakecase(key), key)
    if (partCache.size >= PART_CACHE_MAX) partCache.clear()
    partCache.set(key, part)
  }
  return part
}

/** The last step of columnName, for callers that build the joined name part by part (flatten.ts). */
export function finishColumn(joined: string): string {
  return finish(orHash(joined, joined), (n) => PG_RESERVED.has(n))
}

/** A track event's name → its table: "Order Completed" → `order_completed`, "Tracks" → `_tracks`. */
export function tableName(eventName: string): string {
  return finish(orHash(snakecase(eventName), eventName), (n) => PG_RESERVED.has(n) || SEGMENT_TABLES.has(n))
}

/**
 * A property path → its column: each key snake_cased and joined with `_` (Segment: "context.app.version" →
 * `context_app_version`, traits.address.street → `address_street`). Segment's own column names (`id`,
 * `received_at`…) are not renamed here: Segment *discards* a property that lands on one; flatten.ts does that.
 */
export function columnName(path: string[]): string {
  return finishColumn(path.map(columnPart).join('_'))
}

/**
 * A source name → its schema. Segment uses the source slug; Loupe has no slugs, so the name snake_cased
 * ("Checkout Web" → `checkout_web`). PostgreSQL refuses schema names starting `pg_` and has its own
 * `information_schema`; both get the `_` prefix.
 */
export function schemaName(sourceName: string): string {
  return finish(
    orHash(snakecase(sourceName), sourceName),
    (n) => PG_RESERVED.has(n) || n.startsWith('pg_') || n === 'information_schema'
  )
}

/**
 * `"name"` with `"` doubled — safe for any text PostgreSQL accepts as an identifier. Throws (a bug, not bad
 * input: the functions above never produce these) on an empty name, a NUL, or more than 63 bytes, which
 * PostgreSQL would reject or silently truncate into another name.
 */
export function quoteIdent(name: string): string {
  if (name === '') throw new Error('quoteIdent: empty identifier')
  if (name.includes('\0')) throw new Error('quoteIdent: identifier contains NUL')
  if (Buffer.byteLength(name, 'utf8') > IDENT_MAX_BYTES) {
    throw new Error(`quoteIdent: identifier longer than ${IDENT_MAX_BYTES} bytes`)
  }
  return `"${name.replace(/"/g, '""')}"`
}
