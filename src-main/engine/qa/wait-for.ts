// Held assertion requests ("wait-for"). Each waiter subscribes to the live bus of committed events and
// re-checks its count as matching events commit — no polling of the database. The number of waiters is
// capped (each holds a request, a bus subscription and a timer); past the cap the API answers 429.
// At engine stop every waiter answers at once with what it has, so a held request never delays shutdown.

import type { CommittedEvent } from '../store/event-row'
import type { LiveBus } from '../live-bus'
import { ApiError } from '../errors'

export const MAX_WAITERS = 1000

export class Waiters {
  private active = 0
  private readonly stops = new Set<() => void>()

  constructor(private readonly live: LiveBus, readonly max = MAX_WAITERS) {}

  /** Takes `n` waiter slots at once (an expectations file waits for all its expectations); 429 past the cap. */
  reserve(n: number): () => void {
    if (this.active + n > this.max) {
      throw new ApiError(429, 'ERR_ADMIN_TOO_MANY_WAITERS', `${this.active} requests are already waiting for events (at most ${this.max}); retry when some have answered, or wait for fewer expectations at once`)
    }
    this.active += n
    let released = false
    return () => {
      if (!released) this.active -= n
      released = true
    }
  }

  /** Events committed from now on, until the returned function is called; `stop` runs if the engine stops first. */
  watch(onEvents: (events: readonly CommittedEvent[]) => void, stop: () => void): () => void {
    const unsubscribe = this.live.subscribe(onEvents)
    this.stops.add(stop)
    return () => {
      unsubscribe()
      this.stops.delete(stop)
    }
  }

  get waiting(): number {
    return this.active
  }

  /** Engine stop: every waiter answers now. */
  stopAll(): void {
    for (const stop of [...this.stops]) stop()
  }
}
