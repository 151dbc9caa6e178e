import { describe, expect, it, vi } from 'vitest'
import type { EventsPage, EventsQuery } from '../../src-shared/api'
import { ApiError } from '../api/api-error'
import { createEventsStore, PAGE_SIZE } from './events-store'
import { ids, summary } from './test-events'

function deferred<T>() {
  let resolve!: (value: T) => void
  let reject!: (error: unknown) => void
  const promise = new Promise<T>((res, rej) => ((resolve = res), (reject = rej)))
  return { promise, resolve, reject }
}

function setup() {
  const calls: { query: EventsQuery; answer: ReturnType<typeof deferred<EventsPage>> }[] = []
  const store = createEventsStore(
    (query) => {
      const answer = deferred<EventsPage>()
      calls.push({ query, answer })
      return answer.promise
    },
    () => Date.parse('2024-05-01T12:00:00.000Z')
  )
  return { store, calls }
}

describe('events store', () => {
  it('goes on by itself after a short page that still has a cursor (a full-text walk stopped early)', async () => {
    const { store, calls } = setup()
    store.getState().load({ filters: { q: 'rare' }, time: { kind: 'all' } })
    calls[0]!.answer.resolve({ events: [], nextCursor: 'deeper' })
    await vi.waitFor(() => expect(calls).toHaveLength(2))
    expect(calls[1]!.query).toMatchObject({ q: 'rare', cursor: 'deeper' })
    calls[1]!.answer.resolve({ events: [summary(7)], nextCursor: null })
    await vi.waitFor(() => expect(ids(store.getState().events)).toEqual([7]))
    expect(calls).toHaveLength(2)
  })

  it('loads the first page with the pinned filters, then follows the cursor', async () => {
    const { store, calls } = setup()
    store.getState().load({ filters: { type: 'track' }, time: { kind: 'relative', range: '1h' } })
    expect(calls[0]!.query).toEqual({ type: 'track', from: '2024-05-01T11:00:00.000Z', limit: PAGE_SIZE })
    calls[0]!.answer.resolve({ events: [summary(3), summary(2)], nextCursor: 'c2' })
    await vi.waitFor(() => expect(store.getState().loaded).toBe(true))

    store.getState().loadMore()
    store.getState().loadMore() // already loading: no second request
    expect(calls).toHaveLength(2)
    expect(calls[1]!.query).toMatchObject({ type: 'track', from: '2024-05-01T11:00:00.000Z', cursor: 'c2' })
    calls[1]!.answer.resolve({ events: [summary(1)], nextCursor: null })
    await vi.waitFor(() => expect(ids(store.getState().events)).toEqual([3, 2, 1]))
    store.getState().loadMore()
    expect(calls).toHaveLength(2)
  })

  it('ignores the answer to a query that was replaced', async () => {
    const { store, calls } = setup()
    store.getState().load({ filters: { q: 'a' }, time: { kind: 'all' } })
    store.getState().load({ filters: { q: 'ab' }, time: { kind: 'all' } })
    calls[1]!.answer.resolve({ events: [summary(2)], nextCursor: null })
    calls[0]!.answer.resolve({ events: [summary(1)], nextCursor: null })
    await vi.waitFor(() => expect(store.getState().loaded).toBe(true))
    await new Promise((r) => setTimeout(r, 0))
    expect(ids(store.getState().events)).toEqual([2])
  })

  it('shows the engine’s error and retries the failed page', async () => {
    const { store, calls } = setup()
    store.getState().load({ filters: {}, time: { kind: 'all' } })
    calls[0]!.answer.reject(new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'q is longer than 1000 characters', 'q'))
    await vi.waitFor(() => expect(store.getState().error).toBe('q is longer than 1000 characters'))
    store.getState().retry()
    expect(calls).toHaveLength(2)
    expect(store.getState().error).toBeNull()
  })

  it('passes the violations flag to the API and patches a listed event in place', async () => {
    const { store, calls } = setup()
    store.getState().load({ filters: { source: 2, violations: true }, time: { kind: 'all' } })
    expect(calls[0]!.query).toMatchObject({ source: 2, violations: true })
    calls[0]!.answer.resolve({ events: [summary(2, { quarantine: 'held', violations: 1 }), summary(1)], nextCursor: null })
    await vi.waitFor(() => expect(store.getState().events).toHaveLength(2))
    const untouched = store.getState().events[1]
    store.getState().patchEvent('2', { quarantine: 'released' })
    expect(store.getState().events[0]).toMatchObject({ id: '2', quarantine: 'released', violations: 1 })
    expect(store.getState().events[1]).toBe(untouched)
  })
})
