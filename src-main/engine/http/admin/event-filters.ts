// Query-string filters of /api/events and /api/live → a validated search. Unknown parameters are
// refused so a typo ("userid=") is an error, not a silently unfiltered list.

import { isSegmentType } from '../../../../src-shared/segment'
import { ApiError } from '../../errors'
import { decodeCursor, type EventSearch } from '../../store/events-query'

const FILTER_KEYS = ['source', 'type', 'event', 'userId', 'anonymousId', 'user', 'messageId', 'q', 'from', 'to', 'violations', 'quarantined', 'pii'] as const
const PAGE_KEYS = ['limit', 'cursor'] as const

export type Filters = Omit<EventSearch, 'limit' | 'before'>

export function parseFilters(query: Record<string, unknown>, extraKeys: readonly string[] = []): Filters {
  const allowed = new Set<string>([...FILTER_KEYS, ...extraKeys])
  for (const key of Object.keys(query)) {
    if (!allowed.has(key)) invalid(key, `unknown parameter "${key}"; filters are ${FILTER_KEYS.join(', ')}`)
  }
  const text = (key: string): string | undefined => {
    const value = query[key]
    if (value === undefined || value === '') return undefined
    if (typeof value !== 'string') invalid(key, `${key} must be given once`)
    if (value.length > 1000) invalid(key, `${key} is longer than 1000 characters`)
    return value
  }
  const filters: Filters = {}
  const source = text('source')
  if (source !== undefined) {
    if (!/^\d{1,15}$/.test(source)) invalid('source', 'source must be a source id (a number)')
    filters.source = Number(source)
  }
  const type = text('type')
  if (type !== undefined) {
    if (!isSegmentType(type)) invalid('type', 'type must be one of identify, track, page, screen, group, alias')
    filters.type = type
  }
  for (const key of ['event', 'userId', 'anonymousId', 'user', 'messageId', 'q'] as const) {
    const value = text(key)
    if (value !== undefined) filters[key] = value
  }
  const from = text('from')
  if (from !== undefined) filters.from = parseTime(from, 'from')
  const to = text('to')
  if (to !== undefined) filters.to = parseTime(to, 'to')
  for (const key of ['violations', 'quarantined', 'pii'] as const) {
    const flag = text(key)
    if (flag === undefined) continue
    if (flag !== '1' && flag !== 'true' && flag !== '0' && flag !== 'false') invalid(key, `${key} must be 1 (only such events) or 0`)
    if (flag === '1' || flag === 'true') filters[key] = true
  }
  return filters
}

export function parseSearch(query: Record<string, unknown>): EventSearch {
  const filters = parseFilters(query, PAGE_KEYS)
  const search: EventSearch = { ...filters, limit: 50 }
  const limit = query.limit
  if (limit !== undefined) {
    if (typeof limit !== 'string' || !/^\d{1,3}$/.test(limit) || Number(limit) < 1 || Number(limit) > 500) {
      invalid('limit', 'limit must be a number from 1 to 500')
    }
    search.limit = Number(limit)
  }
  const cursor = query.cursor
  if (cursor !== undefined && cursor !== '') {
    const before = typeof cursor === 'string' ? decodeCursor(cursor) : null
    if (before === null) invalid('cursor', 'cursor is not one this API returned')
    search.before = before
  }
  return search
}

/** ISO-8601 or epoch milliseconds. */
export function parseTime(value: string, field: string): number {
  const ms = /^\d{1,15}$/.test(value) ? Number(value) : Date.parse(value)
  if (!Number.isFinite(ms)) invalid(field, `${field} must be an ISO-8601 time or epoch milliseconds`)
  return ms
}

function invalid(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', message, field)
}
