// The Live screen's state and its stream. At thousands of events per second, one React update per
// event (or even per SSE message) would swamp the main thread, so batches are queued and applied at
// most once per animation frame: one store update, one render. The queue is capped too, because
// animation frames stop in a background tab while the stream goes on.

import { create, type StoreApi, type UseBoundStore } from 'zustand'
import type { EventFilters, EventSummary, LiveBatch } from '../../src-shared/api'
import type { LiveStatus, OpenLiveStream } from '../api/live-stream'
import { LIVE_CAP, applyBatches, emptyLiveList, mergeBackfill, resumeList, type LiveList, withEventPatched, withoutSource } from './live-list'

export type LiveFilters = Pick<EventFilters, 'source' | 'type' | 'event' | 'user' | 'q' | 'violations' | 'quarantined' | 'pii'>

export type PauseReason = 'user' | 'scroll'

export interface LiveState extends LiveList {
  filters: LiveFilters
  status: LiveStatus | 'idle'
  /** Null while following the stream. */
  paused: PauseReason | null
  /** Counts resumes, so the list can jump back to the newest events each time. */
  resumes: number
  connect(): void
  disconnect(): void
  setFilters(filters: LiveFilters): void
  pause(reason: PauseReason): void
  resume(): void
  clear(): void
  /** Drops the events of a deleted source. */
  forgetSource(sourceId: number): void
  /** Updates one shown event's summary (e.g. after a quarantine release). */
  patchEvent(id: string, patch: Partial<EventSummary>): void
}

export interface LiveDeps {
  openStream: OpenLiveStream
  /** Recent stored events matching the filters (GET /api/events), newest first. */
  fetchRecent(filters: LiveFilters): Promise<EventSummary[]>
  scheduleFrame(callback: () => void): void
  cap?: number
}

export type LiveStore = UseBoundStore<StoreApi<LiveState>>

export function createLiveStore(deps: LiveDeps): LiveStore {
  const cap = deps.cap ?? LIVE_CAP
  let queue: LiveBatch[] = []
  let queued = 0
  let skipped = 0
  let frameRequested = false
  let closeStream: (() => void) | null = null
  let generation = 0

  const store = create<LiveState>()((set, get) => {
    const flush = (): void => {
      frameRequested = false
      const batches = queue
      const lost = skipped
      queue = []
      queued = 0
      skipped = 0
      const state = get()
      set(applyBatches(state, batches, state.paused !== null, cap, lost))
    }

    const enqueue = (batch: LiveBatch): void => {
      queue.push(batch)
      queued += batch.events.length
      // Older batches beyond the cap could never be shown: keep only their counts.
      while (queue.length > 1 && queued - queue[0]!.events.length >= cap) {
        const old = queue.shift()!
        queued -= old.events.length
        skipped += old.events.length
        queue[0] = { ...queue[0]!, dropped: queue[0]!.dropped + old.dropped }
      }
      if (!frameRequested) {
        frameRequested = true
        deps.scheduleFrame(flush)
      }
    }

    const open = (): void => {
      closeStream?.()
      queue = []
      queued = 0
      skipped = 0
      const mine = ++generation
      const filters = get().filters
      const backfill = (): void => {
        deps.fetchRecent(filters).then(
          (stored) => mine === generation && set(mergeBackfill(get(), stored, cap)),
          () => undefined // the stream still works; the backfill is a nicety
        )
      }
      let interrupted = false
      closeStream = deps.openStream(filters, {
        onBatch: (batch) => mine === generation && enqueue(batch),
        onStatus: (status) => {
          if (mine !== generation) return
          // The stream has no replay: after a reconnect, fetch what was committed during the gap.
          if (status === 'open' && interrupted) backfill()
          interrupted = status === 'reconnecting' || (interrupted && status !== 'open')
          set({ status })
        }
      })
      backfill()
    }

    return {
      ...emptyLiveList(),
      filters: {},
      status: 'idle',
      paused: null,
      resumes: 0,
      connect: () => {
        if (!closeStream) open()
      },
      disconnect: () => {
        generation++
        closeStream?.()
        closeStream = null
        set({ status: 'idle' })
      },
      setFilters: (filters) => {
        // Events already shown were matched against the old filters: start over.
        set({ ...emptyLiveList(), filters, paused: null })
        if (closeStream) open()
      },
      pause: (reason) => {
        if (get().paused === null) set({ paused: reason })
      },
      resume: () => set({ ...resumeList(get(), cap), paused: null, resumes: get().resumes + 1 }),
      clear: () => set({ ...emptyLiveList(), paused: get().paused }),
      forgetSource: (sourceId) => set(withoutSource(get(), sourceId)),
      patchEvent: (id, patch) => set(withEventPatched(get(), id, patch))
    }
  })
  return store
}
