// Rows in PostgreSQL's COPY text format (https://www.postgresql.org/docs/current/sql-copy.html, "Text Format"):
// one line per row, fields separated by a tab, `\N` for null. Values are attacker-controlled, so every byte that
// means something to COPY's parser is escaped: backslash, tab, newline and carriage return. After that no value
// can end its field or its row early, and the end-of-data marker `\.` cannot appear (its backslash is doubled).
// NUL is the one character PostgreSQL's text cannot hold (as a raw byte or as an escape): it is dropped, as
// flatten.ts already drops it from event strings, rather than failing the whole load.

import type { WarehouseValue } from './flatten'

const SPECIAL = /[\\\t\n\r\0]/
const SPECIALS = /[\\\t\n\r\0]/g
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r', '\0': '' }
const escapeChar = (c: string): string => ESCAPED[c]!

/**
 * One field. Numbers and booleans are written as JSON writes them (`1e+21`, `true`), the text PostgreSQL's
 * input functions read for double precision and boolean, and for a column someone made by hand (numeric,
 * jsonb, …) the text its own input function reads. A missing value (undefined: the row has no such column)
 * is null, as is a number JSON has no text for (NaN, ±Infinity).
 */
export function copyField(value: WarehouseValue | undefined): string {
  if (typeof value === 'string') return SPECIAL.test(value) ? value.replace(SPECIALS, escapeChar) : value
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '\\N'
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  return '\\N'
}

/** Bytes of COPY data per chunk handed to the connection: the server parses one while the next is sent. */
export const COPY_CHUNK = 64 * 1024

/**
 * The rows (in the given column order) as COPY text, UTF-8 in chunks of about `chunk` bytes, each ending at a
 * row's end. Each line goes into a buffer as soon as it is made: a table's rows wait as bytes outside the
 * JavaScript heap while PostgreSQL works on the table before, rather than as strings the GC has to walk
 * (as string concatenations they cost twice the time of JSON.stringify in GC alone).
 */
export function copyChunks(rows: Iterable<Record<string, WarehouseValue>>, columns: readonly string[], chunk = COPY_CHUNK): Buffer[] {
  if (columns.length === 0) throw new Error('COPY needs at least one column')
  const chunks: Buffer[] = []
  let buffer = Buffer.allocUnsafe(chunk)
  let used = 0
  const last = columns.length - 1
  for (const values of rows) {
    let line = ''
    for (let i = 0; i < last; i++) line += copyField(values[columns[i]!]) + '\t'
    line += copyField(values[columns[last]!]) + '\n'
    // A UTF-16 code unit is at most 3 bytes of UTF-8 (a lone surrogate becomes U+FFFD, 3 bytes): only when that
    // bound does not fit are the exact bytes counted (a long ASCII line must not get a buffer 3× its size).
    const free = buffer.length - used
    if (free < line.length * 3) {
      const bytes = Buffer.byteLength(line)
      if (free < bytes) {
        if (used > 0) chunks.push(buffer.subarray(0, used))
        buffer = Buffer.allocUnsafe(Math.max(chunk, bytes))
        used = 0
      }
    }
    used += buffer.write(line, used)
  }
  if (used > 0) chunks.push(buffer.subarray(0, used))
  return chunks
}
