// Bounded storage: keeps at most `maxEvents` events and none older than `maxAgeDays`, deleting the
// oldest in small transactions so ingest never waits long. 0 disables a bound.
// Events an enabled destination has not dealt with yet are not deleted silently: the destination gets an
// "expired" attempt naming the range, and its cursor moves past it (DESIGN.md "Retention respects
// cursors"). The search indexer needs no such care: what it has not indexed it never sees.

import type { Database, Statement } from 'better-sqlite3'
import { TimeBounds } from './time-bounds'

export interface RetentionPolicy {
  maxEvents: number
  maxAgeDays: number
}

const DAY_MS = 24 * 60 * 60 * 1000

export class Retention {
  private timer: NodeJS.Timeout | null = null
  private readonly bounds: TimeBounds
  private readonly deleteChunk: (upTo: number, cutoff: number | null, chunk: number) => number
  private readonly span: Statement<unknown[], { lo: number | null; hi: number | null }>
  private readonly count: Statement<unknown[], number>

  constructor(
    private readonly db: Database,
    private readonly policy: RetentionPolicy,
    private readonly chunk = 5000,
    private readonly log: (message: string) => void = () => {}
  ) {
    this.bounds = new TimeBounds(db)
    this.span = db.prepare('SELECT (SELECT min(id) FROM events) AS lo, (SELECT max(id) FROM events) AS hi')
    this.count = db.prepare('SELECT count(*) FROM events').pluck() as Statement<unknown[], number>
    const pick = db.prepare<unknown[], { id: number; source_id: number; quarantine: number }>(
      'SELECT id, source_id, quarantine FROM events WHERE id < ? AND (? IS NULL OR received_at < ?) ORDER BY id LIMIT ?'
    )
    // Held events are dealt with by no cursor: when retention takes them, the count is kept per source.
    const expireHeld = db.prepare(
      'INSERT INTO quarantine_expired (source_id, count, last_at) VALUES (?, ?, ?) ON CONFLICT (source_id) DO UPDATE SET count = count + excluded.count, last_at = excluded.last_at'
    )
    const remove = db.prepare('DELETE FROM events WHERE id >= ? AND id <= ? AND (? IS NULL OR received_at < ?)')
    const uncount = db.prepare('UPDATE sources SET event_count = max(0, event_count - ?) WHERE id = ?')
    const behind = db.prepare<unknown[], { id: number; position: number }>(
      `SELECT d.id, coalesce(c.position, 0) AS position FROM destinations d
       LEFT JOIN consumer_cursors c ON c.name = 'destination:' || d.id
       WHERE d.enabled = 1 AND coalesce(c.position, 0) < ?`
    )
    const undelivered = db.prepare(
      `SELECT count(*) FROM events e JOIN connections c ON c.destination_id = ? AND c.source_id = e.source_id
       WHERE e.id > ? AND e.id <= ? AND e.id > c.from_event_id AND (? IS NULL OR e.received_at < ?)`
    ).pluck()
    const expire = db.prepare(
      `INSERT INTO delivery_attempts (destination_id, at, duration_ms, outcome, error, first_event_id, last_event_id, sent)
       VALUES (?, ?, 0, 'expired', ?, ?, ?, 0)`
    )
    const firstKept = db.prepare('SELECT min(id) FROM events WHERE id > ? AND id <= ? AND received_at >= ?').pluck()
    const moveCursor = db.prepare("INSERT INTO consumer_cursors (name, position) VALUES ('destination:' || ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position")
    this.deleteChunk = db.transaction((upTo: number, cutoff: number | null, chunk: number) => {
      const rows = pick.all(upTo, cutoff, cutoff, chunk)
      if (rows.length === 0) return 0
      const perSource = new Map<number, number>()
      const heldPerSource = new Map<number, number>()
      for (const row of rows) {
        perSource.set(row.source_id, (perSource.get(row.source_id) ?? 0) + 1)
        if (row.quarantine === -1) heldPerSource.set(row.source_id, (heldPerSource.get(row.source_id) ?? 0) + 1)
      }
      for (const [source, n] of heldPerSource) expireHeld.run(source, n, Date.now())
      const last = rows[rows.length - 1]!.id
      for (const d of behind.all(last)) {
        const lost = undelivered.get(d.id, d.position, last, cutoff, cutoff) as number
        if (lost === 0) continue
        // An event in the range that stays (younger than the cutoff, arrived out of order) must still be
        // delivered: the cursor stops just before the first one.
        const kept = cutoff === null ? null : (firstKept.get(d.position, last, cutoff) as number | null)
        const to = kept === null ? last : kept - 1
        expire.run(d.id, Date.now(), `${lost} events deleted by retention (--max-events / --max-age-days) before they could be delivered`, d.position + 1, to)
        moveCursor.run(d.id, to)
      }
      remove.run(rows[0]!.id, last, cutoff, cutoff)
      for (const [source, n] of perSource) uncount.run(n, source)
      return rows.length
    })
  }

  start(intervalMs = 60_000): void {
    const loop = (): void => {
      this.runSlices(() => {
        this.timer = setTimeout(loop, intervalMs)
        this.timer.unref()
      })
    }
    loop()
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Deletes one chunk of expired events; returns how many (0 = nothing left to do). */
  runOnce(now = Date.now()): number {
    if (this.policy.maxAgeDays > 0) {
      const cutoff = now - this.policy.maxAgeDays * DAY_MS
      const upTo = this.bounds.upperId(cutoff)
      const deleted = this.deleteChunk(upTo, cutoff, this.chunk)
      if (deleted > 0) return deleted
    }
    if (this.policy.maxEvents > 0) {
      // Ids never repeat, so the id span bounds the count: only count when it could be over.
      const { lo, hi } = this.span.get()!
      const n = lo !== null && hi !== null && hi - lo + 1 > this.policy.maxEvents ? this.count.get()! : 0
      if (n > this.policy.maxEvents) {
        const excess = Math.min(n - this.policy.maxEvents, this.chunk)
        const boundary = this.db.prepare('SELECT id FROM events ORDER BY id LIMIT 1 OFFSET ?').pluck().get(excess) as number
        return this.deleteChunk(boundary, null, excess)
      }
    }
    return 0
  }

  /** Runs chunks one per event-loop turn until nothing is left, then calls `done`. */
  private runSlices(done: () => void): void {
    let deleted = 0
    try {
      deleted = this.runOnce()
    } catch (error) {
      this.log(`retention failed, retrying at the next interval: ${(error as Error).message}`)
      deleted = 0
    }
    if (deleted > 0) setImmediate(() => this.runSlices(done))
    else done()
  }
}
