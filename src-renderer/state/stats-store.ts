// Engine status for the top bar: GET /api/stats every 2 s (it is cheap: counters and one stat() of
// the database file), and the capture switch. The first good answer also proves the session.

import { create } from 'zustand'
import type { Stats } from '../../src-shared/api'
import { api } from '../api/client'
import { ApiError, errorMessage } from '../api/api-error'
import { useAuth } from './auth-store'

export const STATS_INTERVAL_MS = 2000

export interface StatsState {
  stats: Stats | null
  /** Set while the engine cannot be reached or answers with an error. */
  error: string | null
  capturePending: boolean
  refresh(): Promise<void>
  setCapturePaused(paused: boolean): Promise<void>
}

export const useStats = create<StatsState>()((set, get) => ({
  stats: null,
  error: null,
  capturePending: false,
  async refresh() {
    try {
      const stats = await api.stats()
      set({ stats, error: null })
      useAuth.getState().setOk()
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return
      set({ error: errorMessage(error) })
    }
  },
  async setCapturePaused(paused) {
    set({ capturePending: true })
    try {
      const capture = await api.setCapture({ paused })
      const stats = get().stats
      set({ stats: stats ? { ...stats, capture } : stats, error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    } finally {
      set({ capturePending: false })
    }
  }
}))

/** Polls until the returned function is called; one request at a time, never overlapping. */
export function startStatsPolling(): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  const tick = async (): Promise<void> => {
    await useStats.getState().refresh()
    if (!stopped && useAuth.getState().status !== 'unauthorized') timer = setTimeout(tick, STATS_INTERVAL_MS)
  }
  void tick()
  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
  }
}
