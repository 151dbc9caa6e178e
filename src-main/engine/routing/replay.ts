// Replay jobs: send a chosen range of stored history to one destination. A job has its own cursor over
// event ids (cursor, upperEventId], fixed when it is created so it ends; each step sends one batch through
// the destination's driver and rules and records the attempt, the job's new cursor and its counters in one
// transaction (the same delivery log as live delivery, marked with the replay id). Messages keep their
// messageId so destinations can dedupe. A retryable failure backs off and retries the same batch; a job
// still running when Loupe stops resumes at the next start. "Retry failed events" is a replay over the
// destination's dead letters: each event it delivers leaves the failure table. Replays share the
// destination's pacing (rate limit) and wait while it is disabled or its circuit is open; a batch still
// failing after the retry window is counted as failed and the job moves on.

import type { ReplayJob, ReplaySelection, ReplayState } from '../../../src-shared/api'
import type { SegmentEvent } from '../destinations/driver'
import type { DestinationReads, OutgoingRow } from '../store/destinations'
import type { StoreThread } from '../store/store-thread'
import type { ReplayReads, ReplayRow } from '../store/replays'
import { evaluateFql, parseFql, type FqlExpression } from './fql'
import { toOutgoingEvent } from './outgoing-event'
import type { RoutingPolicy } from './destination-worker'
import { backoffMs, classify } from './retry-policy'
import type { Router } from './router'

/** Events examined per step (the selection's `where` may keep few of them); steps yield to the event loop. */
const SCAN = 2000
/** How often a job waiting for its destination (disabled, circuit open) looks again. */
const HOLD_MS = 1000

export interface StoredSelection extends ReplaySelection {
  /** Replays the destination's failed events instead of a range of the log. */
  failedOnly?: boolean
  /** A quarantine release job: only the events of this release (store/quarantine.ts). */
  releaseId?: number
}

interface Handle {
  stop: boolean
  abort: AbortController
  timer: NodeJS.Timeout | null
  wake: (() => void) | null
  /** Settles when the job's loop has ended (a resume waits for it, so two loops never run one job). */
  done: Promise<void>
}

export class ReplayRunner {
  private readonly running = new Map<number, Handle>()
  private stopped = false

  constructor(
    private readonly reads: ReplayReads,
    private readonly destinations: DestinationReads,
    private readonly store: StoreThread,
    private readonly router: Router,
    private readonly policy: RoutingPolicy,
    private readonly log: (message: string) => void
  ) {}

  /** Resumes jobs that were running when Loupe stopped. */
  start(): void {
    for (const job of this.reads.list()) if (job.state === 'running') void this.run(job.id)
  }

  async create(destinationId: number, selection: StoredSelection, bounds: { lowId: number; highId: number }, total: number): Promise<ReplayJob> {
    const id = await this.store.command('replays.create', { destinationId, selection: JSON.stringify(selection), cursor: bounds.lowId, upperEventId: bounds.highId, total })
    void this.run(id)
    return this.reads.view(id)!
  }

  async setState(id: number, state: Extract<ReplayState, 'paused' | 'running' | 'cancelled'>): Promise<ReplayJob> {
    if (state !== 'running') await this.halt(id)
    await this.store.command('replays.setState', { id, state })
    if (state === 'running') await this.run(id)
    return this.reads.view(id)!
  }

  /** Runs a job created by a store command (a quarantine release). */
  resume(id: number): void {
    void this.run(id)
  }

  /** Whether a "retry failed events" job of this destination is running or paused. */
  retryingFailed(destinationId: number): boolean {
    return this.reads.list(destinationId).some((job) => (job.state === 'running' || job.state === 'paused') && (job.selection as StoredSelection).failedOnly === true)
  }

  async stop(): Promise<void> {
    this.stopped = true
    await Promise.all([...this.running.keys()].map((id) => this.halt(id)))
  }

  /** The rows of a scan that the selection keeps. */
  static select(rows: OutgoingRow[], where: FqlExpression | null, from: number | null, to: number | null): OutgoingRow[] {
    return rows.filter((row) => {
      if (from !== null && row.received_at < from) return false
      if (to !== null && row.received_at >= to) return false
      return where === null || evaluateFql(where, toOutgoingEvent(row))
    })
  }

  /** Stops a job's loop (a send in flight is aborted and not counted) and waits for it to end. */
  private async halt(id: number): Promise<void> {
    const handle = this.running.get(id)
    if (!handle) return
    handle.stop = true
    handle.abort.abort()
    if (handle.timer) clearTimeout(handle.timer)
    handle.wake?.()
    await handle.done
  }

  private async run(id: number): Promise<void> {
    if (this.stopped) return
    await this.running.get(id)?.done
    if (this.running.has(id)) return
    const handle: Handle = { stop: false, abort: new AbortController(), timer: null, wake: null, done: Promise.resolve() }
    this.running.set(id, handle)
    handle.done = this.loop(id, handle)
      .catch(async (error: unknown) => {
        this.log(`replay ${id}: ${(error as Error).message}`)
        if (!handle.stop) await this.store.command('replays.setState', { id, state: 'failed', error: (error as Error).message }).catch(() => undefined)
      })
      .finally(() => {
        if (this.running.get(id) === handle) this.running.delete(id)
      })
  }

  private async loop(id: number, handle: Handle): Promise<void> {
    const sleep = (ms: number) =>
      new Promise<void>((resolve) => {
        handle.wake = resolve
        handle.timer = setTimeout(resolve, ms)
        handle.timer.unref()
      })
    let retries = 0
    let retryingSince: number | null = null
    while (!handle.stop) {
      await new Promise((resolve) => setImmediate(resolve))
      const job = this.reads.get(id)
      if (!job || job.state !== 'running' || handle.stop) return
      const worker = this.router.worker(job.destinationId)
      if (!worker) throw new Error('the destination no longer exists')
      if (worker.holding) {
        await sleep(HOLD_MS)
        continue
      }
      const selection = JSON.parse(job.selection) as StoredSelection
      const step = this.nextStep(job, selection, worker.driver.batchSize)
      if (step === null) {
        await this.store.command('replays.setState', { id, state: 'done' })
        return
      }
      const { rows, cursor } = step
      const sendable: { id: number; sourceId: number; event: SegmentEvent }[] = []
      const filtered: { eventId: number; reason: string }[] = []
      for (const row of rows) {
        const prepared = worker.rules.prepare(row, 'replay')
        if (prepared.event) sendable.push({ id: row.id, sourceId: row.source_id, event: prepared.event })
        else filtered.push({ eventId: row.id, reason: prepared.filtered })
      }
      const progress = { replayId: id, cursor, processed: rows.length, delivered: 0, filtered: filtered.length, failed: 0, resolvedFailures: [] as number[] }
      const base = { firstEventId: rows[0]?.id ?? cursor, lastEventId: rows[rows.length - 1]?.id ?? cursor, filtered }
      if (sendable.length === 0) {
        // Nothing of this scan to send (none matched, or all filtered): the cursor still moves on, so a
        // restart does not scan it again. Only filtered events leave an attempt in the log.
        if (rows.length === 0) await this.store.command('replays.advance', { id, cursor })
        else {
          await this.store.command('deliveries.record', {
            destinationId: job.destinationId, cursor: null, failures: [], replay: progress,
            attempt: { ...base, at: Date.now(), durationMs: 0, outcome: 'filtered', httpStatus: null, error: null, sent: 0, requestSample: null, responseSample: null }
          })
        }
        continue
      }
      const { result, started, durationMs } = await worker.deliver(sendable.map((e) => e.event), sendable.map((e) => e.sourceId), handle.abort.signal)
      if (handle.stop) return
      const verdict = classify(result)
      const attempt = { ...base, at: started, durationMs, httpStatus: result.status, sent: sendable.length, requestSample: result.requestSample, responseSample: result.responseSample }
      if (verdict.kind === 'retry') {
        retryingSince ??= started
        if (Date.now() - retryingSince < this.policy.retryWindowMs) {
          retries++
          await this.store.command('deliveries.record', { destinationId: job.destinationId, cursor: null, failures: [], replay: { ...progress, cursor: job.cursor, processed: 0, filtered: 0 }, attempt: { ...attempt, filtered: [], outcome: 'retry', error: verdict.reason } })
          await sleep(verdict.afterMs ?? backoffMs(retries, this.policy))
          continue
        }
      }
      retries = 0
      retryingSince = null
      const expired = verdict.kind === 'retry'
      const refused = verdict.kind !== 'delivered' ? sendable.map((_, index) => index) : [...new Set((result.eventFailures ?? []).map((f) => f.index).filter((index) => index >= 0 && index < sendable.length))]
      const skipped = verdict.kind !== 'delivered' ? [] : (result.skipped ?? []).filter((f) => f.index >= 0 && f.index < sendable.length && !refused.includes(f.index))
      progress.failed = refused.length
      progress.filtered += skipped.length
      progress.delivered = sendable.length - refused.length - skipped.length
      base.filtered.push(...skipped.map((f) => ({ eventId: sendable[f.index]!.id, reason: f.reason })))
      if (selection.failedOnly) progress.resolvedFailures = sendable.filter((_, index) => !refused.includes(index)).map((e) => e.id)
      const error = expired ? `expired: still failing after the retry window (${verdict.reason})` : verdict.kind === 'failed' ? verdict.reason : refused.length > 0 ? `${refused.length} of ${sendable.length} events refused` : null
      // A release job's refused events become failed events of the destination (to retry): live delivery never
      // sends released events, so nothing else would. Other replays keep failures on their attempts.
      const reasonOf = (index: number): string => result.eventFailures?.find((f) => f.index === index)?.reason ?? error ?? 'refused'
      const failures = selection.releaseId === undefined ? [] : refused.map((index) => ({ eventId: sendable[index]!.id, reason: reasonOf(index) }))
      await this.store.command('deliveries.record', {
        destinationId: job.destinationId, cursor: null, failures, replay: progress,
        attempt: { ...attempt, outcome: expired ? 'expired' : verdict.kind === 'failed' ? 'failed' : 'delivered', error }
      })
    }
  }

  /** The next batch of the job's selection after its cursor (one scan at most); null when the selection is exhausted. */
  private nextStep(job: ReplayRow, selection: StoredSelection, batchSize: number): { rows: OutgoingRow[]; cursor: number } | null {
    if (selection.failedOnly) {
      const ids = this.reads.failedAfter(job.destinationId, job.cursor, job.upperEventId, batchSize)
      if (ids.length === 0) return null
      return { rows: this.destinations.eventsByIds(ids), cursor: ids[ids.length - 1]! }
    }
    const where = selection.where ? parseFql(selection.where) : null
    const from = selection.from ? Date.parse(selection.from) : null
    const to = selection.to ? Date.parse(selection.to) : null
    const scanned = this.reads.scan(selection.sourceIds, job.cursor, job.upperEventId, SCAN, selection.releaseId)
    if (scanned.length === 0) return null
    const kept = ReplayRunner.select(scanned, where, from, to).slice(0, batchSize)
    // A full batch ends at its last event; otherwise everything scanned has been dealt with.
    return { rows: kept, cursor: kept.length === batchSize ? kept[kept.length - 1]!.id : scanned[scanned.length - 1]!.id }
  }
}
