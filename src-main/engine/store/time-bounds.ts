// Time ranges become id ranges. Ids follow commit order and receivedAt follows arrival order, so the two
// agree up to a small disorder (a request whose body took longer to decode than a later one's). The writer
// records the largest disorder it ever committed (meta 'received_at_disorder_ms'); a binary search over the
// primary key finds the id boundary of a time widened by exactly that much, and the exact receivedAt test
// runs only inside the range. Results are exact, and no index on receivedAt slows every insert.

import type { Database, Statement } from 'better-sqlite3'

export const DISORDER_KEY = 'received_at_disorder_ms'

export class TimeBounds {
  private readonly at: Statement<unknown[], { id: number; received_at: number }>
  private readonly range: Statement<unknown[], { lo: number | null; hi: number | null }>

  private readonly disorder: Statement<unknown[], number>

  constructor(db: Database) {
    this.at = db.prepare('SELECT id, received_at FROM events WHERE id >= ? ORDER BY id LIMIT 1')
    // Two subqueries: SQLite answers a lone min() or max() from the b-tree's ends, but both in one
    // aggregate would scan the whole table.
    this.range = db.prepare('SELECT (SELECT min(id) FROM events) AS lo, (SELECT max(id) FROM events) AS hi')
    this.disorder = db.prepare('SELECT value FROM meta WHERE key = ?').pluck() as Statement<unknown[], number>
  }

  /** The smallest id that may hold an event received at or after `time`. */
  lowerId(time: number): number {
    return this.firstIdAtOrAfter(time - this.slack())
  }

  /** Every event received before `time` has a smaller id than this. */
  upperId(time: number): number {
    return this.firstIdAtOrAfter(time + this.slack())
  }

  private slack(): number {
    return (this.disorder.get(DISORDER_KEY) ?? 0) + 1
  }

  /** Binary search for the first id whose receivedAt is at or after `time`, as if receivedAt were monotonic. */
  private firstIdAtOrAfter(time: number): number {
    const { lo: min, hi: max } = this.range.get()!
    if (min === null || max === null) return 0
    let lo = min
    let hi = max + 1
    while (lo < hi) {
      const mid = Math.floor((lo + hi) / 2)
      const row = this.at.get(mid)
      if (!row) hi = mid
      else if (row.received_at < time) lo = row.id + 1
      else hi = mid
    }
    return lo
  }
}
