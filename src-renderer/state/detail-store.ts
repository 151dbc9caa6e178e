// The event open in the detail pane. Lists hold summaries only; the full record (payload and all) is
// fetched when an event is opened, and the last few are kept so ↑/↓ back and forth stays instant.

import { create } from 'zustand'
import type { EventRecord } from '../../src-shared/api'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

const CACHE_SIZE = 50

export interface DetailState {
  selectedId: string | null
  record: EventRecord | null
  error: string | null
  open(id: string): void
  /** Fetches the open event again (after an action changed it, e.g. a quarantine release). */
  reload(): void
  close(): void
}

export type GetEvent = (id: string, signal?: AbortSignal) => Promise<EventRecord>

export function createDetailStore(getEvent: GetEvent) {
  const cache = new Map<string, EventRecord>()
  let inflight: AbortController | null = null

  const remember = (record: EventRecord): void => {
    cache.delete(record.id)
    cache.set(record.id, record)
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!)
  }

  return create<DetailState>()((set, get) => ({
    selectedId: null,
    record: null,
    error: null,
    open(id) {
      inflight?.abort()
      const cached = cache.get(id)
      set({ selectedId: id, record: cached ?? null, error: null })
      if (cached) return
      const controller = new AbortController()
      inflight = controller
      getEvent(id, controller.signal).then(
        (record) => {
          remember(record)
          if (get().selectedId === id) set({ record })
        },
        (error: unknown) => {
          if (!controller.signal.aborted && get().selectedId === id) set({ error: errorMessage(error) })
        }
      )
    },
    reload() {
      const id = get().selectedId
      if (id === null) return
      cache.delete(id)
      const controller = new AbortController()
      inflight?.abort()
      inflight = controller
      // The old record stays on screen until the new one arrives: no flash of "Loading…".
      getEvent(id, controller.signal).then(
        (record) => {
          remember(record)
          if (get().selectedId === id) set({ record, error: null })
        },
        (error: unknown) => {
          if (!controller.signal.aborted && get().selectedId === id) set({ error: errorMessage(error) })
        }
      )
    },
    close() {
      inflight?.abort()
      set({ selectedId: null, record: null, error: null })
    }
  }))
}

export const useDetail = createDetailStore(api.getEvent)
