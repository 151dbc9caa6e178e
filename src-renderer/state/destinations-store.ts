// Destinations with their live status. The list is polled while a routing screen is open (status —
// pending, failed, last error — changes on its own as the router works), and every write puts the
// engine's answer straight into the list.

import { create } from 'zustand'
import type { CreateDestinationRequest, Destination, UpdateDestinationRequest } from '../../src-shared/api'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export const DESTINATIONS_POLL_MS = 2000

export interface DestinationsApi {
  listDestinations(): Promise<Destination[]>
  createDestination(body: CreateDestinationRequest): Promise<Destination>
  updateDestination(id: number, body: UpdateDestinationRequest): Promise<Destination>
  deleteDestination(id: number): Promise<Destination>
}

export interface DestinationsState {
  destinations: Destination[]
  loaded: boolean
  error: string | null
  load(): Promise<void>
  /** Puts a destination the engine just answered with into the list (new or replacing). */
  upsert(destination: Destination): void
  create(body: CreateDestinationRequest): Promise<Destination>
  update(id: number, body: UpdateDestinationRequest): Promise<Destination>
  remove(id: number): Promise<void>
}

export function upsertById<T extends { id: number }>(list: readonly T[], item: T): T[] {
  const at = list.findIndex((x) => x.id === item.id)
  if (at === -1) return [...list, item].sort((a, b) => a.id - b.id)
  const next = [...list]
  next[at] = item
  return next
}

export function createDestinationsStore(client: DestinationsApi) {
  return create<DestinationsState>()((set, get) => ({
    destinations: [],
    loaded: false,
    error: null,
    async load() {
      try {
        set({ destinations: await client.listDestinations(), loaded: true, error: null })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    upsert(destination) {
      set({ destinations: upsertById(get().destinations, destination) })
    },
    async create(body) {
      const destination = await client.createDestination(body)
      get().upsert(destination)
      return destination
    },
    async update(id, body) {
      const destination = await client.updateDestination(id, body)
      get().upsert(destination)
      return destination
    },
    async remove(id) {
      await client.deleteDestination(id)
      set({ destinations: get().destinations.filter((d) => d.id !== id) })
    }
  }))
}

export const useDestinations = createDestinationsStore(api)

/** Polls the list while at least one screen wants it; returns the stop function. */
let watchers = 0
let timer: ReturnType<typeof setInterval> | null = null
export function watchDestinations(): () => void {
  watchers += 1
  if (watchers === 1) {
    void useDestinations.getState().load()
    timer = setInterval(() => void useDestinations.getState().load(), DESTINATIONS_POLL_MS)
  }
  return () => {
    watchers -= 1
    if (watchers === 0 && timer) {
      clearInterval(timer)
      timer = null
    }
  }
}
