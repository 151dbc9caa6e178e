// GET /api/live as an EventSource. The browser reconnects by itself after network errors (the engine
// sends `retry: 2000`); it gives up only on a fatal answer (a 401, a non-SSE body), and then we try
// again a little later ourselves — the stats poll meanwhile tells the UI whether the session is gone.

import type { EventFilters, LiveBatch } from '../../src-shared/api'
import { withQuery } from './query-string'

export type LiveStatus = 'connecting' | 'open' | 'reconnecting'

export interface LiveStreamHandlers {
  onBatch(batch: LiveBatch): void
  onStatus(status: LiveStatus): void
}

export type OpenLiveStream = (filters: EventFilters, handlers: LiveStreamHandlers) => () => void

const RETRY_AFTER_FATAL_MS = 3000

export const openLiveStream: OpenLiveStream = (filters, handlers) => {
  let closed = false
  let source: EventSource | null = null
  let retry: ReturnType<typeof setTimeout> | null = null

  const connect = (): void => {
    handlers.onStatus('connecting')
    source = new EventSource(withQuery('/api/live', filters))
    source.onopen = () => handlers.onStatus('open')
    source.onerror = () => {
      if (closed || !source) return
      handlers.onStatus('reconnecting')
      if (source.readyState === EventSource.CLOSED) {
        source = null
        retry = setTimeout(connect, RETRY_AFTER_FATAL_MS)
      }
    }
    source.addEventListener('events', (message) => {
      handlers.onBatch(JSON.parse((message as MessageEvent<string>).data) as LiveBatch)
    })
  }
  connect()

  return () => {
    closed = true
    if (retry) clearTimeout(retry)
    source?.close()
  }
}
