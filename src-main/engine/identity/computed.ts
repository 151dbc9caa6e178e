// Computed traits (store thread): per-profile counts, sums, min/max and first/last values of an event
// property, kept as per-day partial aggregates (`trait_buckets`; day 0 for all-time traits) so a window
// ("orders in the last 30 days") slides by summing fewer days, and a merge adds two profiles' buckets.
// Values are recomputed for the (trait, profile) pairs an event touched, once per slice.

import type { Database, Statement } from 'better-sqlite3'
import type { ComputedTraitDefinition, ComputedTraitType } from '../../../src-shared/identity'
import { at } from './identifiers'

export const DAY_MS = 86_400_000
export const dayOf = (ms: number): number => Math.floor(ms / DAY_MS)

export interface TraitDef {
  id: number
  key: string
  type: ComputedTraitType
  event: string | null
  path: string[] | null
  windowDays: number | null
  state: 'computing' | 'live'
  backfillUpto: number
  backfillCursor: number
  audienceId: number | null
}

interface TraitRow {
  id: number
  key: string
  definition: string
  state: 'computing' | 'live'
  backfill_upto: number
  backfill_cursor: number
  audience_id: number | null
}

export function toTraitDef(row: TraitRow): TraitDef {
  const d = JSON.parse(row.definition) as ComputedTraitDefinition
  return {
    id: row.id,
    key: row.key,
    type: d.type,
    event: d.event,
    path: d.property ? d.property.split('.') : null,
    windowDays: d.windowDays,
    state: row.state,
    backfillUpto: row.backfill_upto,
    backfillCursor: row.backfill_cursor,
    audienceId: row.audience_id
  }
}

/** The first day a trait's value counts at `today` (0: all time). */
export const windowStart = (def: Pick<TraitDef, 'windowDays'>, today: number): number => (def.windowDays === null ? 0 : today - def.windowDays + 1)

/** Whether the trait reads this event (track/page/screen; by name when it names one). */
export const reads = (def: TraitDef, type: string, name: string | null): boolean =>
  (type === 'track' || type === 'page' || type === 'screen') && (def.event === null || (type === 'track' && def.event === name))

const COMBINE = `ON CONFLICT (trait_id, profile_id, day) DO UPDATE SET
  count = count + excluded.count,
  sum = sum + excluded.sum,
  min = CASE WHEN excluded.min IS NULL THEN min WHEN min IS NULL OR excluded.min < min THEN excluded.min ELSE min END,
  max = CASE WHEN excluded.max IS NULL THEN max WHEN max IS NULL OR excluded.max > max THEN excluded.max ELSE max END,
  first_value = CASE WHEN excluded.first_at IS NOT NULL AND (first_at IS NULL OR excluded.first_at < first_at) THEN excluded.first_value ELSE first_value END,
  first_at = CASE WHEN excluded.first_at IS NOT NULL AND (first_at IS NULL OR excluded.first_at < first_at) THEN excluded.first_at ELSE first_at END,
  last_value = CASE WHEN excluded.last_at IS NOT NULL AND (last_at IS NULL OR excluded.last_at >= last_at) THEN excluded.last_value ELSE last_value END,
  last_at = CASE WHEN excluded.last_at IS NOT NULL AND (last_at IS NULL OR excluded.last_at >= last_at) THEN excluded.last_at ELSE last_at END`

export class ComputedTraitsWriter {
  private defs: TraitDef[] = []
  private readonly add: Statement<unknown[]>
  private readonly moveBuckets: Statement<unknown[]>
  private readonly dropBuckets: Statement<unknown[]>
  private readonly fold: Statement<unknown[], { c: number | null; s: number | null; mn: number | null; mx: number | null }>
  private readonly firstValue: Statement<unknown[], string>
  private readonly lastValue: Statement<unknown[], string>
  private readonly current: Statement<unknown[], string>
  private readonly saveValue: Statement<unknown[]>
  private readonly dropValue: Statement<unknown[]>
  private readonly dropProfileValues: Statement<unknown[]>
  /** (trait, profile) pairs an event touched in this slice, recomputed once at its end. */
  private readonly dirty = new Map<string, [TraitDef, number]>()

  constructor(private readonly db: Database) {
    this.add = db.prepare(`INSERT INTO trait_buckets (trait_id, profile_id, day, count, sum, min, max, first_value, first_at, last_value, last_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?, ?, ?, ?) ${COMBINE}`)
    this.moveBuckets = db.prepare(`INSERT INTO trait_buckets (trait_id, profile_id, day, count, sum, min, max, first_value, first_at, last_value, last_at)
      SELECT trait_id, ?, day, count, sum, min, max, first_value, first_at, last_value, last_at FROM trait_buckets WHERE trait_id = ? AND profile_id = ? ${COMBINE}`)
    this.dropBuckets = db.prepare('DELETE FROM trait_buckets WHERE trait_id = ? AND profile_id = ?')
    this.fold = db.prepare('SELECT sum(count) AS c, sum(sum) AS s, min(min) AS mn, max(max) AS mx FROM trait_buckets WHERE trait_id = ? AND profile_id = ? AND day BETWEEN ? AND ?')
    this.firstValue = db.prepare('SELECT first_value FROM trait_buckets WHERE trait_id = ? AND profile_id = ? AND day BETWEEN ? AND ? AND first_at IS NOT NULL ORDER BY first_at LIMIT 1').pluck() as Statement<unknown[], string>
    this.lastValue = db.prepare('SELECT last_value FROM trait_buckets WHERE trait_id = ? AND profile_id = ? AND day BETWEEN ? AND ? AND last_at IS NOT NULL ORDER BY last_at DESC LIMIT 1').pluck() as Statement<unknown[], string>
    this.current = db.prepare('SELECT value FROM computed_values WHERE trait_id = ? AND profile_id = ?').pluck() as Statement<unknown[], string>
    this.saveValue = db.prepare('INSERT INTO computed_values (trait_id, profile_id, value, computed_day) VALUES (?, ?, ?, ?) ON CONFLICT DO UPDATE SET value = excluded.value, computed_day = excluded.computed_day')
    this.dropValue = db.prepare('DELETE FROM computed_values WHERE trait_id = ? AND profile_id = ?')
    this.dropProfileValues = db.prepare('DELETE FROM computed_values WHERE profile_id = ?')
    this.load()
  }

  load(): void {
    this.defs = (this.db.prepare('SELECT id, key, definition, state, backfill_upto, backfill_cursor, audience_id FROM computed_traits ORDER BY id').all() as TraitRow[]).map(toTraitDef)
  }

  get definitions(): readonly TraitDef[] {
    return this.defs
  }

  /** Adds an event to the trait's bucket for its day; `message` is the parsed payload (read by property traits). */
  addEvent(def: TraitDef, profileId: number, eventAt: number, message: Record<string, unknown> | null): void {
    const day = def.windowDays === null ? 0 : dayOf(eventAt)
    let num: number | null = null
    let json: string | null = null
    if (def.path && def.type !== 'count') {
      const value = message ? at(message, def.path) : undefined
      if (value === undefined || value === null) {
        if (def.type !== 'first' && def.type !== 'last') return
      } else if (def.type === 'first' || def.type === 'last') {
        json = JSON.stringify(value)
        if (json.length > 4096) json = null
      } else if (typeof value === 'number' && Number.isFinite(value)) {
        num = value
      } else return // sum/min/max read JSON numbers only (as the preview's SQL does)
    }
    const stamp = json === null ? null : eventAt
    this.add.run(def.id, profileId, day, num ?? 0, num, num, json, stamp, json, stamp)
    this.dirty.set(`${def.id}:${profileId}`, [def, profileId])
  }

  /** The merged-away profile's buckets join the other's; its values go (they are recomputed for `into`). */
  merge(from: number, into: number): void {
    for (const def of this.defs) {
      this.moveBuckets.run(into, def.id, from)
      this.dropBuckets.run(def.id, from)
      this.dirty.set(`${def.id}:${into}`, [def, into])
    }
    this.dropProfileValues.run(from)
  }

  /** Forgets what a slice touched, after its transaction rolled back. */
  discard(): void {
    this.dirty.clear()
  }

  /** Recomputes what this slice touched; returns the profiles whose values changed. */
  recomputeDirty(today: number): Set<number> {
    const changed = new Set<number>()
    for (const [def, profileId] of this.dirty.values()) if (this.recompute(def, profileId, today)) changed.add(profileId)
    this.dirty.clear()
    return changed
  }

  /** Recomputes one value from the buckets in its window; true when it changed. */
  recompute(def: TraitDef, profileId: number, today: number): boolean {
    const from = windowStart(def, today)
    const value = this.valueOf(def, profileId, from, def.windowDays === null ? Number.MAX_SAFE_INTEGER : today)
    const before = this.current.get(def.id, profileId)
    if (value === null) {
      if (before === undefined) return false
      this.dropValue.run(def.id, profileId)
      return true
    }
    this.saveValue.run(def.id, profileId, value, today)
    return before !== value
  }

  /** The value as JSON, or null when the profile has none (count: no events). */
  // A window ends today: an event dated in the future (a client's clock) waits until its day comes.
  private valueOf(def: TraitDef, profileId: number, fromDay: number, toDay: number): string | null {
    if (def.type === 'first') return this.firstValue.get(def.id, profileId, fromDay, toDay) ?? null
    if (def.type === 'last') return this.lastValue.get(def.id, profileId, fromDay, toDay) ?? null
    const f = this.fold.get(def.id, profileId, fromDay, toDay)!
    if (!f.c) return null
    const n = def.type === 'count' ? f.c : def.type === 'sum' ? (f.mn === null ? null : f.s) : def.type === 'min' ? f.mn : f.mx
    return n === null ? null : JSON.stringify(Math.round(n * 1e9) / 1e9)
  }
}
