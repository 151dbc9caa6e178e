// The app's one Live store, wired to the real stream, the events API and animation frames.

import { api } from '../api/client'
import { openLiveStream } from '../api/live-stream'
import { createLiveStore } from './live-store'

export const BACKFILL_LIMIT = 50

export const useLive = createLiveStore({
  openStream: openLiveStream,
  fetchRecent: async (filters) => (await api.listEvents({ ...filters, limit: BACKFILL_LIMIT })).events,
  scheduleFrame: (callback) => void requestAnimationFrame(callback)
})
