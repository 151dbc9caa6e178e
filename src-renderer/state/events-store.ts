// The Events screen: everything stored, newest first, one page (cursor) at a time as the list is
// scrolled. A query change starts over; answers to an older query are ignored, so typing fast cannot
// show results for what was typed before.

import { create } from 'zustand'
import type { EventsPage, EventsQuery, EventSummary } from '../../src-shared/api'
import { errorMessage } from '../api/api-error'
import { toApiFilters, type EventsViewQuery } from './events-url'

export const PAGE_SIZE = 100

export interface EventsState {
  query: EventsViewQuery | null
  events: EventSummary[]
  nextCursor: string | null
  loading: boolean
  /** True once the first page of the current query has arrived. */
  loaded: boolean
  error: string | null
  load(query: EventsViewQuery): void
  loadMore(): void
  refresh(): void
  /** After an error: the failed page again. */
  retry(): void
  /** Updates one listed event's summary (e.g. after a quarantine release). */
  patchEvent(id: string, patch: Partial<EventSummary>): void
}

const MAX_CONTINUATIONS = 20

export type ListEvents = (query: EventsQuery, signal?: AbortSignal) => Promise<EventsPage>

export function createEventsStore(listEvents: ListEvents, now: () => number = Date.now) {
  let generation = 0
  let pinned: EventsQuery = {}
  let inflight: AbortController | null = null
  let continuations = 0

  return create<EventsState>()((set, get) => {
    const fetchPage = (cursor: string | null): void => {
      inflight?.abort()
      const controller = new AbortController()
      inflight = controller
      const mine = generation
      set({ loading: true, error: null })
      listEvents({ ...pinned, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) }, controller.signal).then(
        (page) => {
          if (mine !== generation) return
          const events = cursor ? get().events.concat(page.events) : page.events
          set({ events, nextCursor: page.nextCursor, loading: false, loaded: true })
          // A short page with a cursor: the engine stopped a long full-text walk early; go on by itself
          // (a few times), since a short list may leave nothing to scroll.
          if (page.nextCursor && page.events.length < PAGE_SIZE && continuations < MAX_CONTINUATIONS) {
            continuations++
            fetchPage(page.nextCursor)
          }
        },
        (error: unknown) => {
          if (mine !== generation || controller.signal.aborted) return
          set({ loading: false, loaded: true, error: errorMessage(error) })
        }
      )
    }

    return {
      query: null,
      events: [],
      nextCursor: null,
      loading: false,
      loaded: false,
      error: null,
      load(query) {
        generation++
        pinned = toApiFilters(query, now())
        continuations = 0
        set({ query, events: [], nextCursor: null, loaded: false })
        fetchPage(null)
      },
      loadMore() {
        const { nextCursor, loading, error } = get()
        if (nextCursor && !loading && !error) fetchPage(nextCursor)
      },
      refresh() {
        const query = get().query
        if (query) get().load(query)
      },
      patchEvent(id, patch) {
        const events = get().events
        if (events.some((e) => e.id === id)) set({ events: events.map((e) => (e.id === id ? { ...e, ...patch } : e)) })
      },
      retry() {
        const { events, nextCursor } = get()
        if (events.length === 0) get().refresh()
        else if (nextCursor) fetchPage(nextCursor)
      }
    }
  })
}
