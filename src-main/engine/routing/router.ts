// Keeps one DestinationWorker per destination and wakes them when events are committed.

import type { DestinationStatus } from '../../../src-shared/api'
import type { LiveBus } from '../live-bus'
import type { DestinationReads } from '../store/destinations'
import { DestinationWorker, type WorkerDeps } from './destination-worker'

export class Router {
  private readonly workers = new Map<number, DestinationWorker>()
  private unsubscribe: (() => void) | null = null
  private wakeScheduled = false

  constructor(private readonly reads: DestinationReads, private readonly deps: WorkerDeps) {}

  start(live: LiveBus): void {
    for (const destination of this.reads.list()) this.workers.set(destination.id, new DestinationWorker(destination, this.deps))
    // One wake-up per burst of commits, not per commit.
    this.unsubscribe = live.subscribe(() => {
      if (this.wakeScheduled) return
      this.wakeScheduled = true
      setImmediate(() => {
        this.wakeScheduled = false
        for (const worker of this.workers.values()) worker.wake()
      })
    })
    for (const worker of this.workers.values()) worker.wake()
  }

  /** A destination was created, changed or deleted. */
  refresh(id: number): void {
    const destination = this.reads.get(id)
    const worker = this.workers.get(id)
    if (!destination) {
      void worker?.stop()
      this.workers.delete(id)
    } else if (worker) worker.update(destination)
    else {
      const created = new DestinationWorker(destination, this.deps)
      this.workers.set(id, created)
      created.wake()
    }
  }

  status(id: number): DestinationStatus {
    const worker = this.workers.get(id)
    const cursor = worker?.status.cursor ?? this.reads.cursorOf(id)
    return {
      state: worker?.status.state ?? 'idle',
      cursor,
      pending: this.reads.pending(id, cursor),
      nextAttemptAt: worker?.nextAttemptAt ? new Date(worker.nextAttemptAt).toISOString() : null,
      lastError: worker?.lastError ?? null,
      failed: this.reads.failed(id)
    }
  }

  /** The live worker of a destination (its driver and rules serve replays and test events too). */
  worker(id: number): DestinationWorker | null {
    return this.workers.get(id) ?? null
  }

  retryNow(id: number): void {
    this.workers.get(id)?.retryNow()
  }

  async stop(): Promise<void> {
    this.unsubscribe?.()
    await Promise.allSettled([...this.workers.values()].map((worker) => worker.stop()))
  }
}
