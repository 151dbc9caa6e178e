// An optional `from` / `to` pair of ISO-8601 times from an admin request body, each error naming its field.

import { invalid } from './destination-settings'

export function timeRange(fields: Record<string, unknown>): { from?: number; to?: number } {
  const time = (field: 'from' | 'to'): number | undefined => {
    const value = fields[field]
    if (value === undefined) return undefined
    const ms = typeof value === 'string' ? Date.parse(value) : NaN
    if (Number.isNaN(ms)) invalid(field, `${field} must be an ISO-8601 time`)
    return ms
  }
  const from = time('from')
  const to = time('to')
  if (from !== undefined && to !== undefined && from >= to) invalid('to', 'to must be after from')
  return { from, to }
}
