// Group commit: every request's events wait for the next flush, which writes everything queued in
// ONE transaction; only after COMMIT do their promises resolve (the tracking API's 200 = durable).
// A flush is scheduled with setImmediate, so all requests parsed in one turn of the event loop share it.

import type { Database, Statement } from 'better-sqlite3'
import type { CommittedEvent, EventRow } from './event-row'

export interface CommitResult {
  stored: number
  duplicates: number
}

/** The store could not commit (disk full, I/O error, locked): the client should retry. */
export class StoreUnavailableError extends Error {
  constructor(readonly cause: unknown) {
    super(`the event store could not commit: ${cause instanceof Error ? cause.message : String(cause)}`)
  }
}

interface Job {
  rows: EventRow[]
  resolve(result: CommitResult): void
  reject(error: Error): void
}

export interface WriterOptions {
  /** Called after each commit with the events it stored (duplicates excluded), in log order. */
  onCommit?: (events: CommittedEvent[]) => void
  /** Upper bound on rows per transaction, so one flush never stalls the loop for long. */
  maxRowsPerTransaction?: number
}

export class EventWriter {
  private queue: Job[] = []
  private queuedRows = 0
  private scheduled = false
  private closed = false
  private readonly insert: Statement<unknown[]>
  private readonly touchSource: Statement<unknown[]>
  private readonly commit: (jobs: Job[]) => { committed: CommittedEvent[]; results: CommitResult[] }

  constructor(db: Database, private readonly options: WriterOptions = {}) {
    this.insert = db.prepare(`
      INSERT INTO events (source_id, type, name, user_id, anonymous_id, message_id, message_id_generated,
        received_at, timestamp, original_timestamp, sent_at, size, warnings, payload)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (message_id, source_id) DO NOTHING`)
    this.touchSource = db.prepare(
      'UPDATE sources SET event_count = event_count + ?, last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?'
    )
    this.commit = db.transaction((jobs: Job[]) => this.insertAll(jobs))
  }

  /** Resolves once every row is committed (or was already stored: same source and messageId). */
  write(rows: EventRow[]): Promise<CommitResult> {
    if (this.closed) return Promise.reject(new StoreUnavailableError(new Error('Loupe is shutting down')))
    return new Promise((resolve, reject) => {
      this.queue.push({ rows, resolve, reject })
      this.queuedRows += rows.length
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => this.flush())
      }
    })
  }

  get pendingRows(): number {
    return this.queuedRows
  }

  /** Commits everything queued now. */
  flush(): void {
    this.scheduled = false
    const max = this.options.maxRowsPerTransaction ?? 20_000
    while (this.queue.length > 0) {
      const jobs: Job[] = []
      let rows = 0
      while (this.queue.length > 0 && (jobs.length === 0 || rows + this.queue[0]!.rows.length <= max)) {
        const job = this.queue.shift()!
        jobs.push(job)
        rows += job.rows.length
      }
      this.queuedRows -= rows
      this.commitJobs(jobs)
    }
  }

  /** Flushes what is queued and refuses new writes. */
  close(): void {
    this.closed = true
    this.flush()
  }

  private commitJobs(jobs: Job[]): void {
    let outcome: ReturnType<typeof this.commit>
    try {
      outcome = this.commit(jobs)
    } catch (error) {
      const failure = new StoreUnavailableError(error)
      for (const job of jobs) job.reject(failure)
      return
    }
    jobs.forEach((job, i) => job.resolve(outcome.results[i]!))
    if (outcome.committed.length > 0) this.options.onCommit?.(outcome.committed)
  }

  private insertAll(jobs: Job[]): { committed: CommittedEvent[]; results: CommitResult[] } {
    const committed: CommittedEvent[] = []
    const results: CommitResult[] = []
    const perSource = new Map<number, { count: number; last: number }>()
    for (const job of jobs) {
      let stored = 0
      for (const row of job.rows) {
        const info = this.insert.run(
          row.sourceId, row.type, row.name, row.userId, row.anonymousId, row.messageId, row.messageIdGenerated ? 1 : 0,
          row.receivedAt, row.timestamp, row.originalTimestamp, row.sentAt, row.size,
          row.warnings ? JSON.stringify(row.warnings) : null, row.payload
        )
        if (info.changes === 0) continue
        stored++
        committed.push({ id: Number(info.lastInsertRowid), row })
        const tally = perSource.get(row.sourceId)
        if (tally) {
          tally.count++
          if (row.receivedAt > tally.last) tally.last = row.receivedAt
        } else perSource.set(row.sourceId, { count: 1, last: row.receivedAt })
      }
      results.push({ stored, duplicates: job.rows.length - stored })
    }
    for (const [sourceId, tally] of perSource) this.touchSource.run(tally.count, tally.last, sourceId)
    return { committed, results }
  }
}
