// Group commit (runs in the store thread): every request's rows wait for the next flush, which writes
// everything queued in ONE transaction; only after COMMIT does each request get its answer (the tracking
// API's 200 = durable). A flush is scheduled with setImmediate, so all requests that arrived in one turn
// of the thread's event loop share it.

import type { Database, Statement } from 'better-sqlite3'
import { DISORDER_KEY } from './time-bounds'
import { ROW_WIDTH } from './writer-protocol'

/** Inventory rows per source at most. */
const MAX_PII_FIELDS = 10_000

/**
 * The transaction's PII tally, by source and then by an event's whole inventory-keys string: events of one
 * client mostly carry the same set of fields, so a row costs one lookup; the sets are split into fields once,
 * when the transaction writes the inventory (fieldCounts).
 */
type PiiTally = Map<number, Map<string, { count: number; first: number; last: number }>>

/** Adds one event's fields (its inventory keys, one per field: ingest-privacy.ts) to the transaction's tally. */
function countPii(tally: PiiTally, sourceId: number, receivedAt: number, keys: string): void {
  let sets = tally.get(sourceId)
  if (!sets) tally.set(sourceId, (sets = new Map()))
  const t = sets.get(keys)
  if (t) {
    t.count++
    if (receivedAt < t.first) t.first = receivedAt
    if (receivedAt > t.last) t.last = receivedAt
  } else sets.set(keys, { count: 1, first: receivedAt, last: receivedAt })
}

/** The tally per field: what each inventory row gains. */
function fieldCounts(tally: PiiTally): { sourceId: number; path: string; matcher: string; count: number; first: number; last: number }[] {
  const out: { sourceId: number; path: string; matcher: string; count: number; first: number; last: number }[] = []
  for (const [sourceId, sets] of tally) {
    const fields = new Map<string, (typeof out)[number]>()
    for (const [keys, set] of sets) {
      for (const field of keys.split('\u0002')) {
        const f = fields.get(field)
        if (f) {
          f.count += set.count
          if (set.first < f.first) f.first = set.first
          if (set.last > f.last) f.last = set.last
        } else {
          const cut = field.indexOf('\u0001')
          const entry = { sourceId, path: field.slice(0, cut), matcher: field.slice(cut + 1), ...set }
          fields.set(field, entry)
          out.push(entry)
        }
      }
    }
  }
  return out
}

interface Job {
  token: number
  /** Flat rows, ROW_WIDTH values each (see writer-protocol.ts). */
  rows: unknown[]
}

export interface JobResult {
  token: number
  /** The event id of each row, 0 for a duplicate (same source and messageId). */
  ids?: number[]
  error?: string
  /** Retrying cannot help (the rows themselves were refused), as opposed to a busy or full disk. */
  permanent?: boolean
}

/** SQLite errors that pass (locks, a full disk, I/O): the client should retry later. */
const TRANSIENT = /^SQLITE_(BUSY|LOCKED|FULL|IOERR|NOMEM|CANTOPEN|PROTOCOL|INTERRUPT)/

export function isTransient(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return typeof code !== 'string' || TRANSIENT.test(code)
}

export interface WriterOptions {
  /** Called after each transaction with the outcome of every job in it. */
  onFlushed(results: JobResult[]): void
  /** Called after each commit that stored at least one event. */
  onCommit?: () => void
  /** Upper bound on rows per transaction, so one flush never stalls the thread for long. */
  maxRowsPerTransaction?: number
}

export class EventWriter {
  private queue: Job[] = []
  private scheduled = false
  private closed = false
  private readonly insert: Statement<unknown[]>
  private readonly insertViolation: Statement<unknown[]>
  private readonly countField: { run(sourceId: number, path: string, matcher: string, count: number, first: number, last: number): void }
  private readonly touchSource: Statement<unknown[]>
  private readonly commit: (jobs: Job[]) => number[][]
  private readonly saveDisorder: Statement<unknown[]>
  /** Latest receivedAt committed so far, and the largest amount an event arrived "late" behind it. */
  private maxReceived: number
  private disorder: number
  /** The disorder as of the transaction in progress; becomes `disorder` once it commits. */
  private committedDisorder = 0

  constructor(db: Database, private readonly options: WriterOptions) {
    this.insert = db.prepare(`
      INSERT INTO events (source_id, type, name, user_id, anonymous_id, message_id, message_id_generated,
        received_at, timestamp, original_timestamp, sent_at, size, warnings, payload, violations, quarantine, protocols, pii)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
      ON CONFLICT (message_id, source_id) DO NOTHING`)
    // Known fields are counted; a new one is added only while its source has fewer than MAX_PII_FIELDS (field
    // names come from clients: a hostile stream must not grow the inventory without end).
    const bump = db.prepare('UPDATE pii_inventory SET count = count + ?, first_seen = min(first_seen, ?), last_seen = max(last_seen, ?) WHERE source_id = ? AND path = ? AND matcher = ?')
    const add = db.prepare(`INSERT INTO pii_inventory (source_id, path, matcher, count, first_seen, last_seen)
      SELECT ?, ?, ?, ?, ?, ? WHERE (SELECT count(*) FROM pii_inventory WHERE source_id = ?) < ${MAX_PII_FIELDS}`)
    this.countField = {
      run: (sourceId: number, path: string, matcher: string, count: number, first: number, last: number) => {
        if (bump.run(count, first, last, sourceId, path, matcher).changes === 0) add.run(sourceId, path, matcher, count, first, last, sourceId)
      }
    }
    this.insertViolation = db.prepare(`
      INSERT INTO event_violations (event_id, seq, source_id, received_at, type, name, kind, pointer, expected, actual, message, plan_id, plan_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.touchSource = db.prepare(
      'UPDATE sources SET event_count = event_count + ?, last_seen_at = max(coalesce(last_seen_at, 0), ?) WHERE id = ?'
    )
    this.commit = db.transaction((jobs: Job[]) => this.insertAll(jobs))
    this.saveDisorder = db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value')
    // receivedAt has no index; the latest ids hold the latest times (up to the recorded disorder).
    this.maxReceived = (db.prepare('SELECT max(received_at) FROM (SELECT received_at FROM events ORDER BY id DESC LIMIT 10000)').pluck().get() as number | null) ?? 0
    this.disorder = (db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(DISORDER_KEY) as number | undefined) ?? 0
  }

  /** Queues rows for the next commit; its outcome is reported through onFlushed under `token`. */
  enqueue(token: number, rows: unknown[]): void {
    if (this.closed) {
      this.options.onFlushed([{ token, error: 'the store is closing' }])
      return
    }
    this.queue.push({ token, rows })
    if (!this.scheduled) {
      this.scheduled = true
      setImmediate(() => this.flush())
    }
  }

  get idle(): boolean {
    return this.queue.length === 0
  }

  /** Commits everything queued now. */
  flush(): void {
    this.scheduled = false
    const max = (this.options.maxRowsPerTransaction ?? 20_000) * ROW_WIDTH
    while (this.queue.length > 0) {
      const jobs: Job[] = []
      let width = 0
      while (this.queue.length > 0 && (jobs.length === 0 || width + this.queue[0]!.rows.length <= max)) {
        const job = this.queue.shift()!
        jobs.push(job)
        width += job.rows.length
      }
      this.commitJobs(jobs)
    }
  }

  /**
   * One transaction for all the jobs; if it fails, each job again in its own transaction, so one
   * request whose rows the store refuses cannot take the others down with it.
   */
  private commitJobs(jobs: Job[]): void {
    let ids: number[][]
    try {
      ids = this.commit(jobs)
    } catch (error) {
      if (jobs.length > 1 && !isTransient(error)) {
        for (const job of jobs) this.commitJobs([job])
        return
      }
      this.options.onFlushed(jobs.map((job) => ({ token: job.token, error: (error as Error).message, permanent: !isTransient(error) })))
      return
    }
    this.disorder = Math.max(this.disorder, this.committedDisorder)
    this.options.onFlushed(jobs.map((job, i) => ({ token: job.token, ids: ids[i]! })))
    if (ids.some((list) => list.some((id) => id > 0))) this.options.onCommit?.()
  }

  /** Flushes what is queued and refuses new writes. */
  close(): void {
    this.closed = true
    this.flush()
  }

  /** One row per violation, in the event's transaction (violations found at ingest are never lost or late). */
  private insertViolations(eventId: number, rows: unknown[], i: number): void {
    const [planId, planVersion, list] = JSON.parse(rows[i + 17] as string) as [number, number, { kind: string; pointer: string; expected: string | null; actual: string | null; message: string }[]]
    list.forEach((v, seq) => {
      this.insertViolation.run(eventId, seq, rows[i], rows[i + 7], rows[i + 1], rows[i + 2], v.kind, v.pointer, v.expected, v.actual, v.message, planId, planVersion)
    })
  }

  private insertAll(jobs: Job[]): number[][] {
    const perSource = new Map<number, { count: number; last: number }>()
    const inventory: PiiTally = new Map()
    const out: number[][] = []
    let disorder = this.disorder
    for (const job of jobs) {
      const rows = job.rows
      const ids: number[] = new Array(rows.length / ROW_WIDTH)
      for (let r = 0, i = 0; i < rows.length; r++, i += ROW_WIDTH) {
        const info = this.insert.run(rows[i], rows[i + 1], rows[i + 2], rows[i + 3], rows[i + 4], rows[i + 5], rows[i + 6], rows[i + 7],
          rows[i + 8], rows[i + 9], rows[i + 10], rows[i + 11], rows[i + 12], rows[i + 13], rows[i + 14], rows[i + 15], rows[i + 16], rows[i + 18])
        if (info.changes === 0) {
          ids[r] = 0
          continue
        }
        ids[r] = Number(info.lastInsertRowid)
        const sourceId = rows[i] as number
        const receivedAt = rows[i + 7] as number
        if (rows[i + 17] !== null) this.insertViolations(ids[r]!, rows, i)
        if (rows[i + 19]) countPii(inventory, sourceId, receivedAt, rows[i + 19] as string)
        if (receivedAt > this.maxReceived) this.maxReceived = receivedAt
        else if (this.maxReceived - receivedAt > disorder) disorder = this.maxReceived - receivedAt
        const tally = perSource.get(sourceId)
        if (tally) {
          tally.count++
          if (receivedAt > tally.last) tally.last = receivedAt
        } else perSource.set(sourceId, { count: 1, last: receivedAt })
      }
      out.push(ids)
    }
    for (const [sourceId, tally] of perSource) this.touchSource.run(tally.count, tally.last, sourceId)
    // The PII inventory: one upsert per field seen in this transaction, however many events carried it.
    for (const t of fieldCounts(inventory)) this.countField.run(t.sourceId, t.path, t.matcher, t.count, t.first, t.last)
    // Kept with the rows that caused it, so time-range queries stay exact (time-bounds.ts).
    if (disorder > this.disorder) this.saveDisorder.run(DISORDER_KEY, disorder)
    this.committedDisorder = disorder
    return out
  }
}
