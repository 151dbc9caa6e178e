// Whether clients are sending hard right now. Ingest and delivery share the main thread (and delivery's
// records share the store thread with group commit): under heavy ingest, destination workers pause briefly
// between rounds so that accepting events keeps priority, and catch up once the burst is over. Events are
// never lost by waiting: the log is durable and each destination's cursor just moves later.

/** Events per second above which ingest counts as heavy. */
const BUSY_EVENTS_PER_SECOND = 5_000
const WINDOW_MS = 500

export class IngestPressure {
  private windowStart = 0
  private count = 0
  private previous = 0

  constructor(private readonly now: () => number = Date.now) {}

  note(events: number): void {
    this.roll()
    this.count += events
  }

  busy(): boolean {
    this.roll()
    return Math.max(this.count, this.previous) > (BUSY_EVENTS_PER_SECOND * WINDOW_MS) / 1000
  }

  private roll(): void {
    const now = this.now()
    if (now - this.windowStart < WINDOW_MS) return
    // The last full window counts too, unless it is older than one window ago.
    this.previous = now - this.windowStart < 2 * WINDOW_MS ? this.count : 0
    this.count = 0
    this.windowStart = now
  }
}
