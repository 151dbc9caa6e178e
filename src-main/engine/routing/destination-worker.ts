// One worker per destination: reads the events log after the destination's cursor, sends in batches,
// and has the store record each attempt together with the new cursor (one transaction), so a crash
// re-sends at most the batches in flight (at-least-once) and never skips one.
//  - delivered / refused (4xx) / filtered: the cursor moves on; refused events go to delivery_failures;
//  - retryable (network, 408, 429, 5xx): the cursor holds and the worker backs off (Retry-After honoured);
//    after `breakerThreshold` failures in a row the circuit opens ('paused') for a cool-down, then one probe;
//    past the retry window the batch's events are recorded as expired and the cursor moves on.
// With maxInFlight > 1, up to that many batches are in flight at once (a sliding window: the next starts when
// the oldest is answered) and recorded in order; a retryable failure of one batch holds the cursor there, so
// later batches in flight are sent again (at-least-once).

import type { PrivacyPolicy } from '../privacy/policy'
import type { DestinationState } from '../../../src-shared/api'
import { createDriver, eventLine, type DestinationDriver, type DriverEnv, type EventLine, type SegmentEvent, type SendResult } from '../destinations/driver'
import { SEALED_PREFIX } from '../secrets/secret-store'
import type { AttemptRecord } from '../store/command-types'
import type { DestinationReads, DestinationRow, OutgoingRow } from '../store/destinations'
import type { StoreThread } from '../store/store-thread'
import { DeliveryRules } from './delivery-rules'
import type { LineReader } from './line-reader'
import type { LineReadRow } from './line-protocol'
import { toOutgoingRow, type OutgoingColumns } from '../store/outgoing-log'
import { iso } from './outgoing-event'
import { RateLimiter } from './rate-limiter'
import { backoffMs, classify, type BackoffPolicy } from './retry-policy'

const STORE_RETRY_MS = 1000

export interface RoutingPolicy extends BackoffPolicy {
  /** How long a batch is retried before its events are given up as expired. */
  retryWindowMs: number
  breakerThreshold: number
  breakerCooldownMs: number
}

export interface WorkerDeps {
  reads: DestinationReads
  store: StoreThread
  policy: RoutingPolicy
  driverEnv(destinationId: number): DriverEnv
  /** True while clients send heavily: workers then pause after each window of batches (ingest first; see ingest-pressure.ts). */
  ingestBusy(): boolean
  log(message: string): void
  /** Classifies personal data for the destinations' privacy controls (absent: controls do nothing). */
  privacy?: PrivacyPolicy
  /** Reads the log and builds lines on another thread for line-writing drivers (absent: the main thread does). */
  lineReader?: LineReader
}

/** A row whose line the line reader built. */
interface BuiltRow {
  id: number
  source_id: number
  received_at: number
  built: string
}

/** A row the line reader read but could not make a line of: the main thread takes the parsed path at once. */
type DeclinedRow = OutgoingRow & { declined: true }

type LogRow = OutgoingRow | BuiltRow | DeclinedRow

/** The pause after a window of batches while ingest is busy. */
const YIELD_TO_INGEST_MS = 100

/** A batch read from the log and made ready for this destination. */
interface Batch {
  first: number
  last: number
  /** The newest receivedAt of the batch: its retry window runs from here at the earliest. */
  receivedAt: number
  /** Each as the parsed event, or as its line when the driver takes lines and the rules did not need the event. */
  sendable: { id: number; sourceId: number; event: SegmentEvent | null; line: EventLine | null }[]
  filtered: { eventId: number; reason: string }[]
}

export interface Sent {
  result: SendResult
  started: number
  durationMs: number
}

/** A driver that answers every send with a retryable "no answer": the events wait, nothing is refused. */
function waitingDriver(reason: string): DestinationDriver {
  return {
    batchSize: 100,
    integrationNames: [],
    send: async () => ({ status: null, error: reason, retryAfterMs: null, requestSample: '(nothing sent)', responseSample: null })
  }
}

/**
 * The destination's driver — or, when its settings still hold a sealed secret (the keychain did not answer)
 * or cannot be built, one that keeps its events waiting: sending the sealed text as a credential would get
 * a 401 and dead-letter every event.
 */
function driverFor(destination: DestinationRow, env: DriverEnv): DestinationDriver {
  if (JSON.stringify(destination.settings).includes(SEALED_PREFIX)) return waitingDriver('a secret of this destination could not be opened (is the OS keychain locked?); events wait until Loupe restarts with it available')
  try {
    return createDriver(destination.kind, destination.name, destination.settings, env)
  } catch (error) {
    return waitingDriver(`the destination could not be set up: ${(error as Error).message}`)
  }
}

/** The destination's rules; filters stored by an older version that no longer parse keep events waiting too. */
function rulesFor(destination: DestinationRow, names: readonly string[], privacy: PrivacyPolicy | undefined): DeliveryRules | string {
  try {
    return new DeliveryRules({ ...destination, policy: privacy }, names)
  } catch (error) {
    return `the destination's filters cannot be used: ${(error as Error).message}`
  }
}

export class DestinationWorker {
  private state: DestinationState = 'idle'
  private running = false
  /** The drain in progress (settled() waits for it). */
  private draining: Promise<void> = Promise.resolve()
  /** A wake() arrived while draining (new events, a backoff ending): drain again when this run ends. */
  private wakeAgain = false
  private stopped = false
  private timer: NodeJS.Timeout | null = null
  /** Scheduled loads (driver.loadIntervalMs): when the last one started, and the wake-up for the next. */
  private lastLoadAt = 0
  private loadTimer: NodeJS.Timeout | null = null
  private syncRequested = false
  private readonly abort = new AbortController()
  private cursor: number
  driver: DestinationDriver
  rules: DeliveryRules
  /** Why this destination cannot deliver as configured (its events wait), or null. */
  private broken: string | null = null
  private limiter: RateLimiter | null
  private retries = 0
  private retryingSince: number | null = null
  nextAttemptAt: number | null = null
  lastError: string | null = null

  constructor(private destination: DestinationRow, private readonly deps: WorkerDeps) {
    this.cursor = deps.reads.cursorOf(destination.id)
    this.driver = driverFor(destination, deps.driverEnv(destination.id))
    this.rules = new DeliveryRules({ filters: [], consentCategories: [] }, [])
    this.limiter = null
    this.configure(destination, null)
    if (!destination.enabled) this.state = 'disabled'
  }

  get status(): { state: DestinationState; cursor: number } {
    return { state: this.state, cursor: this.cursor }
  }

  /** New settings, sources, rules or enabled flag: used from the next batch on. */
  update(destination: DestinationRow): void {
    // A batch read ahead was read for the old sources and rules: read again.
    this.ahead = null
    const previous = this.driver
    this.configure(destination, this.destination)
    if (previous !== this.driver) void previous.close?.()
    this.state = destination.enabled ? (this.state === 'disabled' ? 'idle' : this.state) : 'disabled'
    if (destination.enabled && this.state !== 'backoff' && this.state !== 'paused') this.wake()
  }

  private configure(destination: DestinationRow, before: DestinationRow | null): void {
    this.destination = destination
    // Settings unchanged (filters, limits or the enabled flag): keep the driver and its state.
    if (before && (before.kind !== destination.kind || JSON.stringify(before.settings) !== JSON.stringify(destination.settings) || before.name !== destination.name)) {
      this.driver = driverFor(destination, this.deps.driverEnv(destination.id))
    }
    const rules = rulesFor(destination, this.driver.integrationNames, this.deps.privacy)
    this.broken = typeof rules === 'string' ? rules : null
    if (typeof rules !== 'string') this.rules = rules
    const perSecond = destination.limits.eventsPerSecond
    if (perSecond !== (before?.limits.eventsPerSecond ?? null) || !this.limiter !== !perSecond) this.limiter = perSecond ? new RateLimiter(perSecond) : null
  }

  /**
   * Sends events through this destination's driver, paced by its rate limit; a driver that throws is an
   * answer like any other (no answer), never an unhandled rejection. Replays send through here too.
   */
  deliver(events: SegmentEvent[], sourceIds: number[], signal: AbortSignal): Promise<Sent> {
    return this.paced(events.length, (driver) => driver.send(events, signal, sourceIds))
  }

  /** deliver() of events the router already made lines of (only for a driver that takes lines). */
  deliverLines(lines: EventLine[], sourceIds: number[], signal: AbortSignal): Promise<Sent> {
    return this.paced(lines.length, (driver) => (driver.sendLines ? driver.sendLines(lines, signal, sourceIds) : driver.send(lines.map((line) => JSON.parse(line.json) as SegmentEvent), signal, sourceIds)))
  }

  private async paced(count: number, send: (driver: DestinationDriver) => Promise<SendResult>): Promise<Sent> {
    const wait = this.limiter?.reserve(count) ?? 0
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait).unref())
    const started = Date.now()
    let result: SendResult
    try {
      result = await send(this.broken ? waitingDriver(this.broken) : this.driver)
    } catch (error) {
      result = { status: null, error: `the destination failed: ${(error as Error).message}`, retryAfterMs: null, requestSample: '(unknown)', responseSample: null }
    }
    return { result, started, durationMs: Date.now() - started }
  }

  /** Open circuit or disabled: replays wait too. */
  get holding(): boolean {
    return !this.destination.enabled || this.state === 'paused'
  }

  /** Ends a backoff or open circuit now (the user asked to retry). */
  retryNow(): void {
    if (this.state !== 'backoff' && this.state !== 'paused') return
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.nextAttemptAt = null
    this.state = 'idle'
    this.wake()
  }

  /** When the next scheduled load is due (null: the destination sends as events arrive, or nothing waits). */
  get nextLoadAt(): number | null {
    return this.loadTimer ? this.lastLoadAt + (this.driver.loadIntervalMs ?? 0) : null
  }

  /** "Sync now": a scheduled destination loads what is waiting at once. */
  syncNow(): void {
    this.syncRequested = true
    if (this.loadTimer) clearTimeout(this.loadTimer)
    this.loadTimer = null
    this.wake()
  }

  /** Events were committed (or the backoff ended): deliver what is there. */
  wake(): void {
    if (this.stopped || !this.destination.enabled || this.state === 'backoff' || this.state === 'paused') return
    const interval = this.driver.loadIntervalMs ?? 0
    if (interval > 0 && !this.running && !this.syncRequested) {
      const due = this.lastLoadAt + interval
      if (Date.now() < due) {
        // The events wait in the log; one wake-up at the due time loads all of them.
        this.loadTimer ??= setTimeout(() => {
          this.loadTimer = null
          this.wake()
        }, due - Date.now())
        this.loadTimer.unref()
        return
      }
    }
    if (this.running) {
      this.wakeAgain = true
      return
    }
    this.running = true
    this.wakeAgain = false
    this.draining = this.drain()
    void this.draining
      .catch((error: unknown) => {
        // The store could not record the attempt (the cursor did not move): try again shortly rather than
        // waiting for the next event to wake this worker. The batch is sent again — at least once.
        if (this.stopped) return
        this.lastError = `could not record the delivery: ${(error as Error).message}`
        this.deps.log(`destination ${this.destination.id}: ${this.lastError}`)
        this.backOff(STORE_RETRY_MS, 'backoff')
      })
      .finally(() => {
        this.running = false
        if (this.wakeAgain) this.wake()
      })
  }

  /**
   * Resolves once the drain in progress (if any) has ended: whatever it read from the log before now has been
   * sent or abandoned. A privacy deletion waits for this before removing the user's data from the destination,
   * so no load already holding their events lands afterwards.
   */
  async settled(): Promise<void> {
    await this.draining.catch(() => undefined)
  }

  /** Stops sending; an attempt in flight is abandoned unrecorded (it is sent again next time). */
  async stop(): Promise<void> {
    this.stopped = true
    this.abort.abort()
    if (this.timer) clearTimeout(this.timer)
    if (this.loadTimer) clearTimeout(this.loadTimer)
    await this.driver.close?.()
  }

  private async drain(): Promise<void> {
    // "Sync now" asks for one load: consumed by this drain whether or not anything is waiting.
    const synced = this.syncRequested
    this.syncRequested = false
    // A sliding window of batches in flight, oldest first: as soon as the oldest is answered and recorded, the
    // next batch is read and sent, so reading and preparing it overlaps the destination working on the others
    // (with whole rounds, the engine and a warehouse took turns: each waited while the other worked).
    // Records are issued in order to the one store thread, each after the one before succeeded (a failed
    // record ends the drain; the next one starts again from the durable cursor).
    let readCursor = this.cursor
    let recording: Promise<unknown> = Promise.resolve()
    const window: { batch: Batch; sent: Promise<Sent | null> }[] = []
    let settledSinceYield = 0
    try {
      while (!this.stopped) {
        const size = this.driver.batchSize
        // Half-open after failures: one batch probes before the full window resumes.
        const inFlight = this.retries > 0 ? 1 : Math.max(1, this.destination.limits.maxInFlight)
        // Disabled meanwhile: no new batches, but those already out are answered and recorded first.
        if (window.length < inFlight && this.destination.enabled) {
          const rows = await this.readRows(readCursor, size * (inFlight - window.length))
          if (this.stopped) return
          if (rows.length > 0 && this.destination.enabled) {
            this.state = 'sending'
            // A scheduled load starts now: the next one is due an interval later.
            if (synced || this.lastLoadAt + (this.driver.loadIntervalMs ?? 0) <= Date.now()) this.lastLoadAt = Date.now()
            for (const batch of this.toBatches(rows, size)) window.push({ batch, sent: this.send(batch) })
            readCursor = window[window.length - 1]!.batch.last
            this.readAhead(readCursor, size)
          }
        }
        const head = window.shift()
        if (head === undefined) {
          await recording
          if (!this.destination.enabled) return
          // Events may have arrived while the last records were written; the wake they caused was deferred.
          if (this.deps.reads.nextEvents(this.destination.id, this.cursor, 1).length > 0) {
            readCursor = this.cursor
            continue
          }
          // Nothing left to send (the failing batch's events may have been deleted meanwhile): nothing is failing.
          this.recovered()
          this.state = 'idle'
          return
        }
        const sent = await head.sent
        // Stopped mid-send: the abandoned attempt is not recorded (it is sent again next time).
        if (this.stopped) return
        await recording
        if (this.stopped) return
        const outcome = this.settle(head.batch, sent)
        if (outcome === 'hold') {
          // Later batches in the window may have been sent; they are not recorded and go again (at least once).
          await this.pendingHold
          await Promise.allSettled(window.map((w) => w.sent))
          return
        }
        recording = outcome
        // Heavy ingest first: once per window's worth of batches, wait a little while the writer is busy.
        if (++settledSinceYield >= inFlight) {
          settledSinceYield = 0
          if (this.deps.ingestBusy()) await new Promise((resolve) => setTimeout(resolve, YIELD_TO_INGEST_MS).unref())
        }
      }
    } finally {
      // A read ahead is never used by a later drain: a privacy deletion may run in between.
      this.ahead = null
      // Whatever ends the drain (a failed record, a stop), no send it started is still running when it has
      // ended — settled() and a privacy deletion rely on that — and no record is left unobserved (a rejection
      // surfaces in wake()'s handler).
      await Promise.allSettled(window.map((w) => w.sent))
      await recording
    }
  }

  /** The read the line reader is doing for the batch after the window's last (see readRows). */
  private ahead: { after: number; rules: DeliveryRules; driver: DestinationDriver; rows: Promise<LineReadRow[] | null> } | null = null

  /**
   * The next rows of the log after `after`. For a line-writing driver whose rules never look inside events,
   * the line reader's thread reads them and builds their lines, one batch ahead while this thread sends;
   * otherwise (or when that thread cannot answer) they are read here.
   */
  private async readRows(after: number, limit: number): Promise<LogRow[]> {
    const { lineReader } = this.deps
    const { rules, driver } = this
    const ahead = this.ahead
    this.ahead = null
    if (lineReader && driver.sendLines && rules.linesOnly) {
      const usable = ahead !== null && ahead.after === after && ahead.rules === rules && ahead.driver === driver
      const read = await (usable ? ahead.rows : lineReader.read(this.destination.id, after, limit, rules.names))
      // Rules or driver changed meanwhile: those lines may no longer be what this destination gets.
      if (read !== null && this.rules === rules && this.driver === driver) return read.map(logRow)
    }
    return this.deps.reads.nextEvents(this.destination.id, after, limit)
  }

  private readAhead(after: number, limit: number): void {
    const { lineReader } = this.deps
    const { rules, driver } = this
    if (lineReader && driver.sendLines && rules.linesOnly) this.ahead = { after, rules, driver, rows: lineReader.read(this.destination.id, after, limit, rules.names) }
  }

  private toBatches(rows: LogRow[], size: number): Batch[] {
    const batches: Batch[] = []
    for (let i = 0; i < rows.length; i += size) {
      const chunk = rows.slice(i, i + size)
      const batch: Batch = { first: chunk[0]!.id, last: chunk[chunk.length - 1]!.id, receivedAt: Math.max(...chunk.map((row) => row.received_at)), sendable: [], filtered: [] }
      const lines = this.driver.sendLines !== undefined
      for (const row of chunk) {
        const json = 'built' in row ? row.built : lines && !('declined' in row) ? this.rules.line(row) : null
        if (json !== null) {
          batch.sendable.push({ id: row.id, sourceId: row.source_id, event: null, line: { json, receivedAt: iso(row.received_at) } })
          continue
        }
        const prepared = this.rules.prepare(row as OutgoingRow)
        if (prepared.event) batch.sendable.push({ id: row.id, sourceId: row.source_id, event: prepared.event, line: null })
        else batch.filtered.push({ eventId: row.id, reason: prepared.filtered })
      }
      batches.push(batch)
    }
    return batches
  }

  private async send(batch: Batch): Promise<Sent | null> {
    const { sendable } = batch
    if (sendable.length === 0) return null
    const sourceIds = sendable.map((e) => e.sourceId)
    // All parsed (the rules needed every event): the driver serializes them as it goes, as for anyone.
    if (sendable.every((e) => e.event !== null)) return this.deliver(sendable.map((e) => e.event!), sourceIds, this.abort.signal)
    return this.deliverLines(sendable.map((e) => e.line ?? eventLine(e.event!)), sourceIds, this.abort.signal)
  }

  /** The retry attempt's record when settle() answered 'hold'. */
  private pendingHold: Promise<void> = Promise.resolve()

  /** Records one batch's outcome: the record in flight, or 'hold' when the cursor must stay (retry later). */
  private settle(batch: Batch, sent: Sent | null): Promise<void> | 'hold' {
    const base = { firstEventId: batch.first, lastEventId: batch.last, filtered: batch.filtered }
    if (sent === null) {
      return this.record(batch.last, { ...base, at: Date.now(), durationMs: 0, outcome: 'filtered', httpStatus: null, error: null, sent: 0, requestSample: null, responseSample: null }, [])
    }
    const { result, started, durationMs } = sent
    const attempt = { ...base, at: started, durationMs, httpStatus: result.status, sent: batch.sendable.length, requestSample: result.requestSample, responseSample: result.responseSample }
    const verdict = classify(result)

    if (verdict.kind === 'delivered') {
      const refused = (result.eventFailures ?? []).filter((f) => batch.sendable[f.index]).map((f) => ({ eventId: batch.sendable[f.index]!.id, reason: f.reason }))
      const skipped = (result.skipped ?? []).filter((f) => batch.sendable[f.index]).map((f) => ({ eventId: batch.sendable[f.index]!.id, reason: f.reason }))
      const sentCount = batch.sendable.length - skipped.length
      const recorded = this.record(
        batch.last,
        { ...attempt, filtered: [...batch.filtered, ...skipped], sent: sentCount, outcome: sentCount === 0 ? 'filtered' : 'delivered', error: refused.length > 0 ? `${refused.length} of ${sentCount} events refused` : null },
        refused
      )
      this.recovered()
      return recorded
    }
    if (verdict.kind === 'failed') {
      const recorded = this.record(batch.last, { ...attempt, outcome: 'failed', error: verdict.reason }, batch.sendable.map((e) => ({ eventId: e.id, reason: verdict.reason })))
      this.recovered()
      return recorded
    }
    this.retryingSince ??= started
    this.lastError = verdict.reason
    // The window runs from when the destination started failing, and never before the batch's events came in:
    // during a long outage each batch gets its own full window, not a fresh one after every expiry.
    // A destination that keeps the data (warehouse, archive) never gives events up: they wait in the log until
    // it is back, however long that takes.
    if (!this.driver.keepsData && Date.now() - Math.max(this.retryingSince, batch.receivedAt) >= this.deps.policy.retryWindowMs) {
      const reason = `expired: still failing after the retry window (${verdict.reason})`
      return this.record(batch.last, { ...attempt, outcome: 'expired', error: reason }, batch.sendable.map((e) => ({ eventId: e.id, reason: 'expired' })))
    }
    this.pendingHold = this.record(null, { ...attempt, outcome: 'retry', error: verdict.reason }, [])
    this.retries++
    const { breakerThreshold, breakerCooldownMs } = this.deps.policy
    const open = this.retries >= breakerThreshold
    const wait = verdict.afterMs ?? backoffMs(this.retries, this.deps.policy)
    this.backOff(open ? Math.max(wait, breakerCooldownMs) : wait, open ? 'paused' : 'backoff')
    return 'hold'
  }

  /**
   * Has the store record an attempt (and the new cursor). The promise may be awaited only later (records
   * overlap the next batches): it is marked handled now, so a failure is not an unhandled rejection meanwhile.
   */
  private record(cursor: number | null, attempt: AttemptRecord, failures: { eventId: number; reason: string }[]): Promise<void> {
    const recorded = this.deps.store.command('deliveries.record', { destinationId: this.destination.id, cursor, attempt, failures }).then(() => {
      if (cursor !== null) this.cursor = cursor
    })
    recorded.catch(() => undefined)
    return recorded
  }

  private recovered(): void {
    this.retries = 0
    this.retryingSince = null
    this.lastError = null
    this.nextAttemptAt = null
  }

  private backOff(ms: number, state: 'backoff' | 'paused'): void {
    this.state = state
    // A failed scheduled load is retried when the backoff ends, not an interval later.
    this.syncRequested = true
    this.nextAttemptAt = Date.now() + ms
    if (this.timer) clearTimeout(this.timer)
    this.timer = setTimeout(() => {
      this.timer = null
      this.nextAttemptAt = null
      this.state = 'idle'
      this.wake()
    }, ms)
    this.timer.unref()
  }
}

function logRow(row: LineReadRow): LogRow {
  return row.length === 4 ? { id: row[0], source_id: row[1], received_at: row[2], built: row[3] } : { ...toOutgoingRow(row as OutgoingColumns), declined: true }
}
