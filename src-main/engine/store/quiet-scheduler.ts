// When a log consumer in the store thread (the search indexer, the identity consumer) does its work: it
// gives way to the writer. While events keep arriving it mostly waits (ingest first; measured in
// bench/RESULTS.md, indexing during a burst cost a third of the throughput) and catches up in large slices as
// soon as ingest pauses — but under steady traffic that never pauses it still works every `maxLagMs`: a
// slice, and more slices (one per macrotask, so writes get in between) while the writer has nothing queued,
// for up to `budgetMs` — so what it derives keeps up with steady traffic of a few thousand events/s instead of
// falling behind for good, without holding a commit back by more than one slice.

export interface QuietSchedulerOptions {
  /** Events per slice while ingest is quiet. */
  slice?: number
  /** Events per slice under traffic (every `maxLagMs`). */
  trickle?: number
  /** How long ingest must have been quiet before work resumes, ms. */
  quietMs?: number
  /** Under traffic that never pauses, work at least this often, ms. */
  maxLagMs?: number
  /** How long each of those turns may work (slices of `trickle`), ms. */
  budgetMs?: number
  /** Where failures go (a failing slice is retried after a pause, not thrown). */
  log?: (message: string) => void
}

export class QuietScheduler {
  private timer: NodeJS.Timeout | null = null
  private running = false
  private lastIngestAt = 0
  private lastSliceAt = Date.now()
  private busy: () => boolean = () => false
  /** While an overdue turn under traffic may go on (see tick). */
  private burstUntil = 0

  /** `work(limit)` does up to `limit` units and returns how many it did (0: nothing left for now). */
  constructor(
    private readonly what: string,
    private readonly work: (limit: number) => number,
    private readonly options: QuietSchedulerOptions = {}
  ) {}

  start(): void {
    this.running = true
    this.schedule(0)
  }

  stop(): void {
    this.running = false
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
  }

  /** Makes work wait while `busy()` says the writer has work queued. */
  yieldTo(busy: () => boolean): void {
    this.busy = busy
  }

  /** The writer committed events: work once ingest is quiet. */
  notify(): void {
    this.lastIngestAt = Date.now()
    this.wake()
  }

  /** There is work that did not come from ingest (a definition changed): do it as soon as ingest allows. */
  wake(): void {
    if (this.running && !this.timer) this.schedule(this.quietMs)
  }

  private get quietMs(): number {
    return this.options.quietMs ?? 50
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => this.tick(), delayMs)
  }

  private tick(): void {
    this.timer = null
    if (!this.running) return
    const now = Date.now()
    const sinceIngest = now - this.lastIngestAt
    const busy = this.busy()
    const quiet = !busy && sinceIngest >= this.quietMs
    const overdue = now - this.lastSliceAt >= (this.options.maxLagMs ?? 1000)
    // An overdue turn under traffic goes on for up to budgetMs, one slice per macrotask: between slices the
    // thread takes in writes and commits them, and a turn stops as soon as the writer has work queued.
    const continuing = now < this.burstUntil && !busy
    if (!quiet && !overdue && !continuing) {
      this.burstUntil = 0
      this.schedule(Math.max(5, this.quietMs - sinceIngest))
      return
    }
    if (!quiet && overdue) this.burstUntil = now + (this.options.budgetMs ?? 50)
    let done = 0
    try {
      done = this.work(quiet ? (this.options.slice ?? 500) : (this.options.trickle ?? 250))
      this.lastSliceAt = now
    } catch (error) {
      this.options.log?.(`${this.what} failed, retrying in 5 s: ${(error as Error).message}`)
      this.schedule(5000)
      return
    }
    if (done > 0) this.schedule(quiet || Date.now() < this.burstUntil ? 0 : this.quietMs)
  }
}
