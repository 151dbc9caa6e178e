// One worker per destination: reads the events log after the destination's cursor, sends in batches,
// and has the store record each attempt together with the new cursor (one transaction), so a crash
// re-sends at most the batch in flight (at-least-once) and never skips one.
//  - delivered / refused (4xx) / filtered: the cursor moves on; refused events go to delivery_failures;
//  - retryable (network, 408, 429, 5xx): the cursor holds and the worker backs off (Retry-After honoured);
//    past the retry window the batch's events are recorded as expired and the cursor moves on.

import type { DestinationState } from '../../../src-shared/api'
import { createDriver, type DestinationDriver } from '../destinations/driver'
import type { AttemptRecord } from '../store/command-types'
import type { DestinationReads, DestinationRow } from '../store/destinations'
import type { StoreThread } from '../store/store-thread'
import { integrationsAllow, toOutgoingEvent } from './outgoing-event'
import { backoffMs, classify, type BackoffPolicy } from './retry-policy'

const STORE_RETRY_MS = 1000

export interface RoutingPolicy extends BackoffPolicy {
  /** How long a batch is retried before its events are given up as expired. */
  retryWindowMs: number
}

export interface WorkerDeps {
  reads: DestinationReads
  store: StoreThread
  policy: RoutingPolicy
  log(message: string): void
}

export class DestinationWorker {
  private state: DestinationState = 'idle'
  private running = false
  private stopped = false
  private timer: NodeJS.Timeout | null = null
  private readonly abort = new AbortController()
  private cursor: number
  private driver: DestinationDriver
  private retries = 0
  private retryingSince: number | null = null
  nextAttemptAt: number | null = null
  lastError: string | null = null

  constructor(private destination: DestinationRow, private readonly deps: WorkerDeps) {
    this.cursor = deps.reads.cursorOf(destination.id)
    this.driver = createDriver(destination.kind, destination.name, destination.settings)
    if (!destination.enabled) this.state = 'disabled'
  }

  get status(): { state: DestinationState; cursor: number } {
    return { state: this.state, cursor: this.cursor }
  }

  /** New settings, sources or enabled flag: used from the next batch on. */
  update(destination: DestinationRow): void {
    this.destination = destination
    this.driver = createDriver(destination.kind, destination.name, destination.settings)
    this.state = destination.enabled ? (this.state === 'disabled' ? 'idle' : this.state) : 'disabled'
    if (destination.enabled && this.state !== 'backoff') this.wake()
  }

  /** Events were committed (or the backoff ended): deliver what is there. */
  wake(): void {
    if (this.stopped || this.running || !this.destination.enabled || this.state === 'backoff') return
    this.running = true
    void this.drain()
      .catch((error: unknown) => {
        // The store could not record the attempt (the cursor did not move): try again shortly rather than
        // waiting for the next event to wake this worker. The batch is sent again — at least once.
        if (this.stopped) return
        this.lastError = `could not record the delivery: ${(error as Error).message}`
        this.deps.log(`destination ${this.destination.id}: ${this.lastError}`)
        this.backOff(STORE_RETRY_MS)
      })
      .finally(() => (this.running = false))
  }

  /** Stops sending; an attempt in flight is abandoned unrecorded (it is sent again next time). */
  stop(): void {
    this.stopped = true
    this.abort.abort()
    if (this.timer) clearTimeout(this.timer)
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.destination.enabled) {
      const rows = this.deps.reads.nextEvents(this.destination.id, this.cursor, this.driver.batchSize)
      if (rows.length === 0) {
        this.state = 'idle'
        return
      }
      this.state = 'sending'
      const first = rows[0]!.id
      const last = rows[rows.length - 1]!.id
      const events = rows.map((row) => ({ id: row.id, event: toOutgoingEvent(row) }))
      const sendable = events.filter((e) => integrationsAllow(e.event, this.driver.integrationNames))
      const filtered = events.filter((e) => !sendable.includes(e)).map((e) => ({ eventId: e.id, reason: 'integrations object turns this destination off' }))
      const base = { firstEventId: first, lastEventId: last, filtered }

      if (sendable.length === 0) {
        await this.record(last, { ...base, at: Date.now(), durationMs: 0, outcome: 'filtered', httpStatus: null, error: null, sent: 0, requestSample: null, responseSample: null }, [])
        continue
      }
      const started = Date.now()
      const result = await this.driver.send(sendable.map((e) => e.event), this.abort.signal)
      if (this.stopped) return
      const attempt = { ...base, at: started, durationMs: Date.now() - started, httpStatus: result.status, sent: sendable.length, requestSample: result.requestSample, responseSample: result.responseSample }
      const verdict = classify(result)

      if (verdict.kind === 'delivered') {
        await this.record(last, { ...attempt, outcome: 'delivered', error: null }, [])
        this.recovered()
      } else if (verdict.kind === 'failed') {
        await this.record(last, { ...attempt, outcome: 'failed', error: verdict.reason }, sendable.map((e) => ({ eventId: e.id, reason: verdict.reason })))
        this.recovered()
      } else {
        this.retryingSince ??= started
        this.lastError = verdict.reason
        if (Date.now() - this.retryingSince >= this.deps.policy.retryWindowMs) {
          const reason = `expired: still failing after the retry window (${verdict.reason})`
          await this.record(last, { ...attempt, outcome: 'expired', error: reason }, sendable.map((e) => ({ eventId: e.id, reason: 'expired' })))
          this.recovered()
          continue
        }
        await this.record(null, { ...attempt, outcome: 'retry', error: verdict.reason }, [])
        this.retries++
        this.backOff(verdict.afterMs ?? backoffMs(this.retries, this.deps.policy))
        return
      }
    }
  }

  private async record(cursor: number | null, attempt: AttemptRecord, failures: { eventId: number; reason: string }[]): Promise<void> {
    await this.deps.store.command('deliveries.record', { destinationId: this.destination.id, cursor, attempt, failures })
    if (cursor !== null) this.cursor = cursor
  }

  private recovered(): void {
    this.retries = 0
    this.retryingSince = null
    this.lastError = null
    this.nextAttemptAt = null
  }

  private backOff(ms: number): void {
    this.state = 'backoff'
    this.nextAttemptAt = Date.now() + ms
    this.timer = setTimeout(() => {
      this.timer = null
      this.nextAttemptAt = null
      this.state = 'idle'
      this.wake()
    }, ms)
    this.timer.unref()
  }
}
