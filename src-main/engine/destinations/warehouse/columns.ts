// Column types and schema evolution: each new property adds a column typed by its first value; a value that
// does not fit its column's type (a string in a number column) is kept in `<column>_text` and the conflict
// recorded — never dropped, and no destructive migration ever runs.

import type { WarehouseValue } from './flatten'

export type ColumnType = 'text' | 'double precision' | 'boolean' | 'timestamp with time zone'

/** Segment's time columns; other strings stay text (an ISO-looking property is not trusted to stay one). */
const TIME_COLUMNS = new Set(['received_at', 'sent_at', 'timestamp', 'original_timestamp', 'uuid_ts'])

/** The type a column gets from its first non-null value. */
export function typeFor(column: string, value: Exclude<WarehouseValue, null>): ColumnType {
  if (TIME_COLUMNS.has(column) && typeof value === 'string') return 'timestamp with time zone'
  if (typeof value === 'number') return 'double precision'
  if (typeof value === 'boolean') return 'boolean'
  return 'text'
}

export const valueType = (value: Exclude<WarehouseValue, null>): string => (typeof value === 'number' ? 'number' : typeof value === 'boolean' ? 'boolean' : 'string')

/** The value as its column stores it, or undefined when it does not fit (a type conflict). */
export function fit(type: ColumnType | string, value: Exclude<WarehouseValue, null>): WarehouseValue | undefined {
  switch (type) {
    case 'text':
      return typeof value === 'string' ? value : String(value)
    case 'double precision':
      return typeof value === 'number' ? value : undefined
    case 'boolean':
      return typeof value === 'boolean' ? value : undefined
    case 'timestamp with time zone':
      return typeof value === 'string' && Number.isFinite(Date.parse(value)) ? value : undefined
    default:
      // A column someone made by hand (bigint, jsonb, …): PostgreSQL's own cast decides.
      return value
  }
}

/** Where a value that does not fit its column goes. */
export const conflictColumn = (column: string): string => `${column.slice(0, 58)}_text`
