// Time ranges become id ranges. Ids follow commit order and receivedAt follows arrival order, so the two
// agree to within the time a request spends between arrival and commit (milliseconds). A binary search
// over the primary key finds the id boundary of a time, with a slack that covers that disorder; the exact
// receivedAt test then runs only inside the range. This saves an index on receivedAt, which every
// insert would pay for.

import type { Database, Statement } from 'better-sqlite3'

export const ORDER_SLACK_MS = 60_000

export class TimeBounds {
  private readonly at: Statement<unknown[], { id: number; received_at: number }>
  private readonly range: Statement<unknown[], { lo: number | null; hi: number | null }>

  constructor(db: Database) {
    this.at = db.prepare('SELECT id, received_at FROM events WHERE id >= ? ORDER BY id LIMIT 1')
    this.range = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM events')
  }

  /** The smallest id whose receivedAt may be at or after `time` (assuming receivedAt is nearly monotonic). */
  firstIdAtOrAfter(time: number): number {
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
