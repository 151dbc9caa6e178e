// Live previews for the computed-trait and audience builders (main thread, read connection): what a draft
// would give over the stored history right now, computed with SQL aggregates over events and their
// profiles, so nothing is written and the store thread is not disturbed.

import type { Database } from 'better-sqlite3'
import type { AudienceDefinition, ComputationPreview, ComputedTraitDefinition } from '../../../src-shared/identity'
import { qualifies } from './conditions'
import { DAY_MS, dayOf } from './computed'
import type { IdentityReads } from './reads'

const SAMPLES = 8

/** `properties.revenue` → `$."properties"."revenue"` (segments are checked by definitions.ts). */
const jsonPath = (path: string): string => `$${path.split('.').map((s) => `."${s}"`).join('')}`

/** Where previews may narrow their scan: the search index's name keys, and the first event id of a time window. */
export interface PreviewIndexes {
  indexedThrough(): number
  idAtOrAfter(time: number): number
}

export class IdentityPreviews {
  constructor(
    private readonly db: Database,
    private readonly reads: IdentityReads,
    private readonly indexes: PreviewIndexes
  ) {}

  private total(): number {
    return Number(this.db.prepare('SELECT count(*) FROM profiles WHERE merged_into IS NULL').pluck().get())
  }

  /** Per-profile value of a trait definition (JSON text), over the events it reads. */
  values(d: ComputedTraitDefinition): Map<number, unknown> {
    const since = d.windowDays === null ? -Infinity : (dayOf(Date.now()) - d.windowDays + 1) * DAY_MS
    // This runs on the main thread: a named event is found through the search index's name keys (plus a scan
    // of the not-yet-indexed tail), and a window starts at the first event received in it — not a full scan.
    const fromId = Number.isFinite(since) ? this.indexes.idAtOrAfter(since) : 0
    const indexed = this.indexes.indexedThrough()
    const rows =
      d.event === null
        ? "SELECT id, type, timestamp, payload FROM events WHERE type IN ('track', 'page', 'screen') AND id >= @fromId"
        : `SELECT e.id, e.type, e.timestamp, e.payload FROM event_keys k JOIN events e ON e.id = k.event_id WHERE k.key = @key AND k.event_id >= @fromId AND k.event_id <= @indexed
           UNION ALL SELECT id, type, timestamp, payload FROM events WHERE id > @indexed AND id >= @fromId AND type = 'track' AND name = @event`
    const value = d.property ? `json_extract(e.payload, '${jsonPath(d.property)}')` : 'NULL'
    const numeric = `json_type(e.payload, '${d.property ? jsonPath(d.property) : '$'}') IN ('integer', 'real')`
    const select: Record<ComputedTraitDefinition['type'], string> = {
      count: 'count(*)',
      sum: `sum(${value}) FILTER (WHERE ${numeric})`,
      min: `min(${value}) FILTER (WHERE ${numeric})`,
      max: `max(${value}) FILTER (WHERE ${numeric})`,
      // SQLite: with a lone min()/max(), bare columns come from the row that gave it.
      first: `json_quote(${value}) AS v, min(CASE WHEN ${value} IS NOT NULL THEN e.timestamp END)`,
      last: `json_quote(${value}) AS v, max(CASE WHEN ${value} IS NOT NULL THEN e.timestamp END)`
    }
    const head = d.type === 'first' || d.type === 'last' ? select[d.type] : `${select[d.type]} AS v`
    const until = d.windowDays === null ? Number.MAX_SAFE_INTEGER : (dayOf(Date.now()) + 1) * DAY_MS
    const sql = `SELECT p.profile_id AS pid, ${head} FROM (${rows}) e JOIN event_profiles p ON p.event_id = e.id WHERE (e.type = 'track' OR @any) AND e.timestamp >= @since AND e.timestamp < @until GROUP BY p.profile_id`
    const params = { event: d.event, key: `n:${d.event}`, any: d.event === null ? 1 : 0, fromId, indexed, since: Number.isFinite(since) ? since : -1e15, until }
    const out = new Map<number, unknown>()
    for (const row of this.db.prepare(sql).all(params) as { pid: number; v: unknown }[]) {
      const v = d.type === 'first' || d.type === 'last' ? (row.v === null ? null : (JSON.parse(String(row.v)) as unknown)) : row.v
      if (v !== null && v !== undefined) out.set(row.pid, v)
    }
    return out
  }

  trait(d: ComputedTraitDefinition): ComputationPreview {
    const values = this.values(d)
    const entries = [...values.entries()]
    if (d.type !== 'first' && d.type !== 'last') entries.sort((a, b) => Number(b[1]) - Number(a[1]))
    return { profiles: values.size, total: this.total(), samples: this.samples(entries) }
  }

  audience(d: AudienceDefinition): ComputationPreview {
    const traitMaps = new Map<string, Map<number, unknown>>()
    const computedMaps = new Map<number, Map<number, unknown>>()
    const eventMaps = new Map<number, Map<number, unknown>>()
    d.conditions.forEach((c, i) => {
      if (c.kind === 'trait') {
        // A dotted key may name a trait inside an object trait (conditions.ts): its head is loaded too.
        for (const key of [c.key, c.key.split('.')[0]!]) {
          if (traitMaps.has(key)) continue
          const rows = this.db.prepare('SELECT profile_id, value FROM profile_traits WHERE key = ?').all(key) as { profile_id: number; value: string }[]
          traitMaps.set(key, new Map(rows.map((r) => [r.profile_id, JSON.parse(r.value) as unknown])))
        }
      } else if (c.kind === 'computed' && !computedMaps.has(c.traitId)) {
        const rows = this.db.prepare('SELECT profile_id, value FROM computed_values WHERE trait_id = ?').all(c.traitId) as { profile_id: number; value: string }[]
        computedMaps.set(c.traitId, new Map(rows.map((r) => [r.profile_id, JSON.parse(r.value) as unknown])))
      } else if (c.kind === 'event') {
        eventMaps.set(i, this.values({ name: '', type: 'count', event: c.event, property: null, windowDays: c.withinDays }))
      }
    })
    const counts = new Set(this.reads.computedTraits().filter((t) => t.type === 'count').map((t) => t.id))
    const members: [number, unknown][] = []
    for (const id of this.db.prepare('SELECT id FROM profiles WHERE merged_into IS NULL ORDER BY last_seen DESC').pluck().iterate() as Iterable<number>) {
      const ok = qualifies(d.match, d.conditions, {
        trait: (key) => traitMaps.get(key)?.get(id),
        computed: (traitId) => computedMaps.get(traitId)?.get(id) ?? (counts.has(traitId) ? 0 : undefined),
        eventCount: (i) => Number(eventMaps.get(i)?.get(id) ?? 0)
      })
      if (ok) members.push([id, true])
    }
    return { profiles: members.length, total: this.total(), samples: this.samples(members) }
  }

  private samples(entries: [number, unknown][]): ComputationPreview['samples'] {
    return entries.slice(0, SAMPLES).map(([profileId, value]) => ({ profileId, label: this.reads.summary(profileId)?.label ?? `profile ${profileId}`, value }))
  }
}
