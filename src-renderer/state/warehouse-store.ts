// The warehouse panel's data: what a warehouse destination holds (tables, rows, columns, last loads, type
// conflicts) as the engine reads it from PostgreSQL. Polled while a panel is open, slower than the
// destinations list: every read counts the rows of each table. "Sync now" asks for a load at once; the
// next polls show it landing.

import { create } from 'zustand'
import type { WarehouseStatus } from '../../src-shared/warehouse'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export const WAREHOUSE_POLL_MS = 3000

export interface WarehouseApi {
  warehouseStatus(id: number): Promise<WarehouseStatus>
  syncWarehouse(id: number): Promise<{ syncing: boolean }>
}

export interface WarehouseState {
  /** The engine's latest answer, by destination id. */
  statuses: Record<number, WarehouseStatus>
  /** Why the engine could not answer (not the warehouse's own error, which is in the status). */
  errors: Record<number, string | null>
  load(id: number): Promise<void>
  /** Starts a load now; rejects with the engine's refusal (disabled, not running yet). */
  sync(id: number): Promise<void>
}

export function createWarehouseStore(client: WarehouseApi) {
  // A status read can take a while on a big warehouse: never stack a second one on top.
  const inFlight = new Set<number>()
  return create<WarehouseState>()((set, get) => ({
    statuses: {},
    errors: {},
    async load(id) {
      if (inFlight.has(id)) return
      inFlight.add(id)
      try {
        const status = await client.warehouseStatus(id)
        set({ statuses: { ...get().statuses, [id]: status }, errors: { ...get().errors, [id]: null } })
      } catch (error) {
        set({ errors: { ...get().errors, [id]: errorMessage(error) } })
      } finally {
        inFlight.delete(id)
      }
    },
    async sync(id) {
      await client.syncWarehouse(id)
      void get().load(id)
    }
  }))
}

export const useWarehouse = createWarehouseStore(api)

const watchers = new Map<number, { count: number; timer: ReturnType<typeof setInterval> }>()

/** Polls one warehouse's status while at least one panel shows it; returns the stop function. */
export function watchWarehouse(id: number): () => void {
  const existing = watchers.get(id)
  if (existing) existing.count += 1
  else {
    void useWarehouse.getState().load(id)
    watchers.set(id, { count: 1, timer: setInterval(() => void useWarehouse.getState().load(id), WAREHOUSE_POLL_MS) })
  }
  return () => {
    const watcher = watchers.get(id)
    if (!watcher) return
    watcher.count -= 1
    if (watcher.count === 0) {
      clearInterval(watcher.timer)
      watchers.delete(id)
    }
  }
}
