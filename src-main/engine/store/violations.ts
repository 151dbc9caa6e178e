// Reads of the violations found at ingest (event_violations, migration 0090): grouped by event and kind
// for the Violations screen. Time ranges become event-id ranges (time-bounds.ts), so a report walks the
// table's key from the range's first id on, never the whole table.

import type { Database, Statement } from 'better-sqlite3'
import type { ViolationGroup } from '../../../src-shared/enforcement'
import type { ViolationKind } from '../../../src-shared/plans'

/** Groups a report returns at most (the most frequent). */
const MAX_GROUPS = 200
const SAMPLES = 5

interface GroupDb {
  source_id: number
  type: string
  name: string | null
  kind: ViolationKind
  pointer: string
  count: number
  first: number
  last: number
}

export class ViolationReads {
  private readonly heldCount: Statement<unknown[], number>
  private readonly expiredCount: Statement<unknown[], number>
  private readonly withViolations: Statement<unknown[], number>

  constructor(private readonly db: Database) {
    this.heldCount = db.prepare('SELECT count(*) FROM events WHERE quarantine = -1 AND (? IS NULL OR source_id = ?)').pluck() as Statement<unknown[], number>
    this.expiredCount = db.prepare('SELECT coalesce(sum(count), 0) FROM quarantine_expired WHERE (? IS NULL OR source_id = ?)').pluck() as Statement<unknown[], number>
    this.withViolations = db.prepare('SELECT count(*) FROM events WHERE violations > 0 AND id >= ? AND received_at >= ? AND (? IS NULL OR source_id = ?)').pluck() as Statement<unknown[], number>
  }

  /** Violations of events with ids from `lowId` on and received from `from` on, grouped, most frequent first. */
  groups(args: { lowId: number; from: number; bucketMs: number; buckets: number; sourceId: number | null }): ViolationGroup[] {
    const where = 'event_id >= ? AND received_at >= ? AND (? IS NULL OR source_id = ?)'
    const params = [args.lowId, args.from, args.sourceId, args.sourceId]
    const key = 'source_id, type, name, kind, pointer'
    const rows = this.db
      .prepare(`SELECT ${key}, count(*) AS count, min(received_at) AS first, max(received_at) AS last FROM event_violations WHERE ${where} GROUP BY ${key} ORDER BY count DESC LIMIT ${MAX_GROUPS}`)
      .all(...params) as GroupDb[]
    const id = (r: { source_id: number; type: string; name: string | null; kind: string; pointer: string }): string => JSON.stringify([r.source_id, r.type, r.name, r.kind, r.pointer])
    const groups = new Map<string, ViolationGroup>()
    for (const r of rows) {
      groups.set(id(r), {
        sourceId: r.source_id, eventType: r.type, event: r.name, kind: r.kind, pointer: r.pointer, expected: null, message: '',
        count: r.count, firstSeen: new Date(r.first).toISOString(), lastSeen: new Date(r.last).toISOString(),
        trend: new Array<number>(args.buckets).fill(0), sampleEventIds: []
      })
    }
    if (groups.size === 0) return []
    const trend = this.db
      .prepare(`SELECT ${key}, (received_at - ?) / ? AS bucket, count(*) AS count FROM event_violations WHERE ${where} GROUP BY ${key}, bucket`)
      .all(args.from, args.bucketMs, ...params) as (GroupDb & { bucket: number })[]
    for (const t of trend) {
      const group = groups.get(id(t))
      if (group) group.trend[Math.min(args.buckets - 1, Math.max(0, Math.floor(t.bucket)))]! += t.count
    }
    // The newest few of each group: samples to open, and the latest wording of the violation.
    const samples = this.db
      .prepare(`SELECT * FROM (SELECT ${key}, event_id, expected, message, row_number() OVER (PARTITION BY ${key} ORDER BY event_id DESC) AS n FROM event_violations WHERE ${where}) WHERE n <= ${SAMPLES} ORDER BY n`)
      .all(...params) as (GroupDb & { event_id: number; expected: string | null; message: string; n: number })[]
    for (const s of samples) {
      const group = groups.get(id(s))
      if (!group) continue
      if (s.n === 1) {
        group.expected = s.expected
        group.message = s.message
      }
      if (!group.sampleEventIds.includes(String(s.event_id))) group.sampleEventIds.push(String(s.event_id))
    }
    return [...groups.values()]
  }

  /** Events with at least one violation in the range. */
  eventsWithViolations(lowId: number, from: number, sourceId: number | null): number {
    return this.withViolations.get(lowId, from, sourceId, sourceId) ?? 0
  }

  held(sourceId: number | null): number {
    return this.heldCount.get(sourceId, sourceId) ?? 0
  }

  /** Held events retention deleted before a release (store/retention.ts). */
  heldExpired(sourceId: number | null): number {
    return this.expiredCount.get(sourceId, sourceId) ?? 0
  }
}
