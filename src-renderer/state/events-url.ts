// The Events screen's query ⇄ the address bar (/events?type=track&event=…&q=…&range=1h), so a view
// can be bookmarked or shared and a reload restores it. Relative ranges stay relative in the URL
// ("last hour" means the last hour whenever the link is opened); custom ranges keep their times.

import type { EventFilters } from '../../src-shared/api'
import { isSegmentType } from '../../src-shared/segment'

export const RELATIVE_RANGES = { '15m': 15 * 60_000, '1h': 3_600_000, '24h': 86_400_000, '7d': 7 * 86_400_000 } as const
export type RelativeRange = keyof typeof RELATIVE_RANGES

export type TimeRange = { kind: 'all' } | { kind: 'relative'; range: RelativeRange } | { kind: 'custom'; from?: string; to?: string }

export type ViewFilters = Pick<EventFilters, 'source' | 'type' | 'event' | 'user' | 'q' | 'violations' | 'quarantined' | 'pii'>

export interface EventsViewQuery {
  filters: ViewFilters
  time: TimeRange
}

const TEXT_KEYS = ['event', 'user', 'q'] as const
/** Yes/no filters: `=1` in the URL as on the API; anything else is no filter. */
const FLAG_KEYS = ['violations', 'quarantined', 'pii'] as const

export function isRelativeRange(value: string | null): value is RelativeRange {
  return value !== null && Object.prototype.hasOwnProperty.call(RELATIVE_RANGES, value)
}

export function parseEventsUrl(search: string): EventsViewQuery {
  const params = new URLSearchParams(search)
  const filters: ViewFilters = {}
  const source = params.get('source')
  if (source && /^\d{1,15}$/.test(source)) filters.source = Number(source)
  const type = params.get('type')
  if (isSegmentType(type)) filters.type = type
  for (const key of TEXT_KEYS) {
    const value = params.get(key)
    if (value) filters[key] = value
  }
  for (const key of FLAG_KEYS) if (params.get(key) === '1') filters[key] = true
  const range = params.get('range')
  const from = params.get('from') ?? undefined
  const to = params.get('to') ?? undefined
  let time: TimeRange = { kind: 'all' }
  if (isRelativeRange(range)) time = { kind: 'relative', range }
  else if (from || to) time = { kind: 'custom', ...(from ? { from } : {}), ...(to ? { to } : {}) }
  return { filters, time }
}

export function eventsUrlSearch({ filters, time }: EventsViewQuery): string {
  const params = new URLSearchParams()
  if (filters.source !== undefined) params.set('source', String(filters.source))
  if (filters.type) params.set('type', filters.type)
  for (const key of TEXT_KEYS) {
    const value = filters[key]
    if (value) params.set(key, value)
  }
  for (const key of FLAG_KEYS) if (filters[key]) params.set(key, '1')
  if (time.kind === 'relative') params.set('range', time.range)
  if (time.kind === 'custom') {
    if (time.from) params.set('from', time.from)
    if (time.to) params.set('to', time.to)
  }
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** The API filters for a query, with a relative range pinned to `now` (so paging stays consistent). */
export function toApiFilters({ filters, time }: EventsViewQuery, now: number): EventFilters {
  const out: EventFilters = { ...filters }
  if (time.kind === 'relative') out.from = new Date(now - RELATIVE_RANGES[time.range]).toISOString()
  if (time.kind === 'custom') {
    if (time.from) out.from = time.from
    if (time.to) out.to = time.to
  }
  return out
}

export function hasFilters(query: EventsViewQuery): boolean {
  return Object.values(query.filters).some((v) => v !== undefined && v !== '' && v !== false) || query.time.kind !== 'all'
}
