// The in-process bus of committed events: the writer publishes after each COMMIT, and live views
// (SSE, later wait-for and log consumers) subscribe. Publishing never waits for a subscriber.

import type { CommittedEvent } from './store/event-row'

export type LiveListener = (events: readonly CommittedEvent[]) => void

export class LiveBus {
  private readonly listeners = new Set<LiveListener>()

  subscribe(listener: LiveListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  publish(events: readonly CommittedEvent[]): void {
    for (const listener of this.listeners) {
      try {
        listener(events)
      } catch {
        // A broken subscriber must not affect ingest or the other subscribers.
      }
    }
  }

  get subscribers(): number {
    return this.listeners.size
  }
}
