import { describe, expect, it, vi } from 'vitest'
import type { EventFilters, EventSummary } from '../../src-shared/api'
import type { LiveStreamHandlers } from '../api/live-stream'
import { createLiveStore, type LiveFilters } from './live-store'
import { batch, ids, summary } from './test-events'

/** A Live store on a fake stream, a manual animation frame and a fake backfill. */
function setup(options: { cap?: number; recent?: EventSummary[] } = {}) {
  const streams: { filters: EventFilters; handlers: LiveStreamHandlers; closed: boolean }[] = []
  const frames: (() => void)[] = []
  const fetched: LiveFilters[] = []
  const store = createLiveStore({
    openStream: (filters, handlers) => {
      const stream = { filters, handlers, closed: false }
      streams.push(stream)
      return () => void (stream.closed = true)
    },
    fetchRecent: async (filters) => {
      fetched.push(filters)
      return options.recent ?? []
    },
    scheduleFrame: (callback) => void frames.push(callback),
    cap: options.cap
  })
  const runFrame = (): void => {
    const pending = frames.splice(0)
    for (const frame of pending) frame()
  }
  return { store, streams, frames, fetched, runFrame }
}

describe('live store', () => {
  it('applies all batches of a frame in one store update', () => {
    const { store, streams, frames, runFrame } = setup()
    store.getState().connect()
    const listener = vi.fn()
    store.subscribe(listener)
    for (let i = 0; i < 20; i++) streams[0]!.handlers.onBatch(batch(i * 10 + 1, i * 10 + 10))
    expect(frames).toHaveLength(1)
    expect(store.getState().events).toEqual([])
    runFrame()
    expect(listener).toHaveBeenCalledTimes(1)
    expect(store.getState().events).toHaveLength(200)
    expect(store.getState().events[0]!.id).toBe('200')
  })

  it('caps what waits for a frame that never comes (background tab) but counts it all', () => {
    const { store, streams, runFrame } = setup({ cap: 100 })
    store.getState().connect()
    store.getState().pause('user')
    for (let i = 0; i < 50; i++) streams[0]!.handlers.onBatch(batch(i * 40 + 1, i * 40 + 40, 3))
    runFrame()
    const state = store.getState()
    expect(state.pending).toHaveLength(100)
    expect(state.pending[0]!.id).toBe('2000')
    expect(state.newCount).toBe(2000)
    expect(state.received).toBe(2000)
    expect(state.dropped).toBe(150)
  })

  it('pauses and resumes with the count of what arrived meanwhile', () => {
    const { store, streams, runFrame } = setup()
    store.getState().connect()
    streams[0]!.handlers.onBatch(batch(1, 2))
    runFrame()
    store.getState().pause('user')
    streams[0]!.handlers.onBatch(batch(3, 5))
    runFrame()
    expect(ids(store.getState().events)).toEqual([2, 1])
    expect(store.getState().newCount).toBe(3)
    store.getState().resume()
    expect(ids(store.getState().events)).toEqual([5, 4, 3, 2, 1])
    expect(store.getState()).toMatchObject({ paused: null, newCount: 0, resumes: 1 })
  })

  it('reconnects with new filters, starts over, and ignores the old stream', () => {
    const { store, streams, fetched, runFrame } = setup()
    store.getState().connect()
    streams[0]!.handlers.onBatch(batch(1, 2))
    runFrame()
    store.getState().setFilters({ type: 'identify', q: 'needle' })
    expect(streams).toHaveLength(2)
    expect(streams[0]!.closed).toBe(true)
    expect(streams[1]!.filters).toEqual({ type: 'identify', q: 'needle' })
    expect(fetched.at(-1)).toEqual({ type: 'identify', q: 'needle' })
    expect(store.getState().events).toEqual([])
    streams[1]!.handlers.onStatus('open')
    streams[0]!.handlers.onBatch(batch(3, 3))
    streams[0]!.handlers.onStatus('reconnecting')
    runFrame()
    expect(store.getState().events).toEqual([])
    expect(store.getState().status).toBe('open')
  })

  it('shows recent stored events under the stream once they arrive', async () => {
    const { store, streams, runFrame } = setup({ recent: [summary(5), summary(4)] })
    store.getState().connect()
    streams[0]!.handlers.onBatch(batch(6, 6))
    runFrame()
    await vi.waitFor(() => expect(ids(store.getState().events)).toEqual([6, 5, 4]))
  })

  it('fills the gap from stored events after the stream reconnects', async () => {
    const { store, streams, fetched } = setup({ recent: [summary(8), summary(7)] })
    store.getState().connect()
    streams[0]!.handlers.onStatus('open')
    expect(fetched).toHaveLength(1)
    streams[0]!.handlers.onStatus('reconnecting')
    streams[0]!.handlers.onStatus('connecting')
    streams[0]!.handlers.onStatus('open')
    expect(fetched).toHaveLength(2)
    streams[0]!.handlers.onStatus('open')
    expect(fetched).toHaveLength(2)
    await vi.waitFor(() => expect(ids(store.getState().events)).toEqual([8, 7]))
  })

  it('closes the stream on disconnect', () => {
    const { store, streams } = setup()
    store.getState().connect()
    store.getState().connect()
    expect(streams).toHaveLength(1)
    store.getState().disconnect()
    expect(streams[0]!.closed).toBe(true)
    expect(store.getState().status).toBe('idle')
  })
})
