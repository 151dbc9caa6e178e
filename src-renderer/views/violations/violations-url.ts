// The Violations screen's query ⇄ the address bar (/violations?source=2&range=7d), plus the paths it
// links to, and the pure shaping of the report for the table (rows grouped under their event).

import type { ViolationGroup, ViolationsRange } from '../../../src-shared/enforcement'
import { isSegmentType } from '../../../src-shared/segment'
import { eventsUrlSearch, type ViewFilters } from '../../state/events-url'

export const VIOLATIONS_PATH = '/violations'
export const VIOLATION_RANGES: readonly { id: ViolationsRange; label: string }[] = [
  { id: '1h', label: 'Last hour' },
  { id: '24h', label: 'Last 24 hours' },
  { id: '7d', label: 'Last 7 days' }
]
export const DEFAULT_RANGE: ViolationsRange = '24h'

export interface ViolationsQuery {
  source?: number
  range: ViolationsRange
}

function isRange(value: string | null): value is ViolationsRange {
  return VIOLATION_RANGES.some((r) => r.id === value)
}

export function parseViolationsUrl(search: string): ViolationsQuery {
  const params = new URLSearchParams(search)
  const range = params.get('range')
  const source = params.get('source')
  return { range: isRange(range) ? range : DEFAULT_RANGE, ...(source && /^\d{1,15}$/.test(source) ? { source: Number(source) } : {}) }
}

export function violationsUrlSearch(query: ViolationsQuery): string {
  const params = new URLSearchParams()
  if (query.source !== undefined) params.set('source', String(query.source))
  if (query.range !== DEFAULT_RANGE) params.set('range', query.range)
  const text = params.toString()
  return text ? `?${text}` : ''
}

/** The Events screen showing the events of a group: same source, event and range, violations only. */
export function eventsPathOf(group: Pick<ViolationGroup, 'sourceId' | 'eventType' | 'event'>, range?: ViolationsRange): string {
  const filters: ViewFilters = { source: group.sourceId, violations: true }
  if (group.event !== null) filters.event = group.event
  else if (isSegmentType(group.eventType)) filters.type = group.eventType
  return `/events${eventsUrlSearch({ filters, time: range ? { kind: 'relative', range } : { kind: 'all' } })}`
}

export function groupKey(group: ViolationGroup): string {
  return [group.sourceId, group.eventType, group.event ?? '', group.kind, group.pointer].join('\u0000')
}

export interface EventGroups {
  key: string
  sourceId: number
  eventType: string
  event: string | null
  total: number
  groups: ViolationGroup[]
}

/** The report's groups under their event (per source), busiest event first; rows keep the engine's order. */
export function groupByEvent(groups: readonly ViolationGroup[]): EventGroups[] {
  const byEvent = new Map<string, EventGroups>()
  for (const group of groups) {
    const key = [group.sourceId, group.eventType, group.event ?? ''].join('\u0000')
    const entry = byEvent.get(key) ?? { key, sourceId: group.sourceId, eventType: group.eventType, event: group.event, total: 0, groups: [] }
    entry.total += group.count
    entry.groups.push(group)
    byEvent.set(key, entry)
  }
  return [...byEvent.values()].sort((a, b) => b.total - a.total)
}

/** "5 min", "1 hour", "2 hours", "1 day": the width of a trend bucket in words. */
export function bucketLabel(ms: number): string {
  const units: [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'min'],
    [1000, 's']
  ]
  for (const [size, unit] of units) {
    if (ms >= size && ms % size === 0) {
      const n = ms / size
      return unit === 'min' || unit === 's' ? `${n} ${unit}` : `${n} ${unit}${n === 1 ? '' : 's'}`
    }
  }
  return `${ms} ms`
}

/** Polyline points of a sparkline in a w×h box (counts scaled to the largest; a flat line when all are 0). */
export function sparklinePoints(trend: readonly number[], w: number, h: number, pad = 1.5): string {
  if (trend.length === 0) return ''
  const max = Math.max(...trend)
  const step = trend.length === 1 ? 0 : (w - 2 * pad) / (trend.length - 1)
  const y = (n: number): number => (max === 0 ? h - pad : h - pad - (n / max) * (h - 2 * pad))
  const points = trend.map((n, i) => `${round(pad + i * step)},${round(y(n))}`)
  // One bucket: a short dash, so there is something to see.
  return trend.length === 1 ? `${pad},${round(y(trend[0]!))} ${w - pad},${round(y(trend[0]!))}` : points.join(' ')
}

const round = (n: number): number => Math.round(n * 10) / 10
