// The schema a source loads into when none is set: Segment's form of the source name (snake_case), shown
// as the placeholder of the schema inputs. The engine's naming (src-main/engine/destinations/warehouse/
// naming.ts schemaName) is the authority and pins the name on save; this is its port for the browser
// (the engine's hashes node:crypto), and schema-name.test.ts checks the two agree.

/** PostgreSQL's reserved and type/function-name keywords: Segment prefixes them with `_`. */
const PG_RESERVED = new Set(
  (
    'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog ' +
    'current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except ' +
    'false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp ' +
    'not null offset on only or order placing primary references returning select session_user some symmetric system_user table ' +
    'then to trailing true union unique user using variadic when where window with authorization binary collation concurrently ' +
    'cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar ' +
    'tablesample verbose'
  ).split(' ')
)

const IDENT_MAX = 63
const lower = (c: string): boolean => c >= 'a' && c <= 'z'
const upper = (c: string): boolean => c >= 'A' && c <= 'Z'
const digit = (c: string): boolean => c >= '0' && c <= '9'

/** segmentio/go-snakecase, as the engine ports it: ASCII letters and digits survive, the rest separates words. */
export function snakecase(s: string): string {
  let i = 0
  const n = s.length
  while (i < n && (lower(s[i]!) || digit(s[i]!) || (s[i] === '_' && i < n - 1 && (lower(s[i + 1]!) || digit(s[i + 1]!))))) i++
  if (i === n) return s
  if (i > 0 && digit(s[i - 1]!)) i--
  let out = s.slice(0, i)
  while (i < n) {
    if (!(lower(s[i]!) || upper(s[i]!) || digit(s[i]!))) {
      i++
      continue
    }
    if (out.length > 0) out += '_'
    while (i < n && (upper(s[i]!) || digit(s[i]!))) out += s[i++]!.toLowerCase()
    while (i < n && (lower(s[i]!) || digit(s[i]!))) out += s[i++]
  }
  return out
}

/**
 * "Checkout Web" → `checkout_web`. Null when the engine would add a hash (a name with no ASCII letter or digit,
 * or longer than PostgreSQL's 63 bytes): the engine picks it, and shows it once saved.
 */
export function defaultSchemaName(sourceName: string): string | null {
  let name = snakecase(sourceName)
  if (name === '') return null
  if (digit(name[0]!)) name = `_${name}`
  if (PG_RESERVED.has(name) || name.startsWith('pg_') || name === 'information_schema') name = `_${name}`
  return name.length > IDENT_MAX ? null : name
}
