// GET /api/live: committed events as Server-Sent Events, with the same filters as /api/events.
// The stream is bounded: events are sent in batches (at most every 100 ms, at most 500 per batch) and
// what does not fit is counted as `dropped`, so a burst of 100,000 events/s cannot flood a browser.

import type { FastifyInstance } from 'fastify'
import type { ServerResponse } from 'node:http'
import type { EventSummary, LiveBatch } from '../../../src-shared/api'
import type { EngineContext } from '../context'
import { summarize, type CommittedEvent } from '../store/event-row'
import { matchesWords, queryWords } from '../store/word-match'
import { parseFilters, type Filters } from './admin/event-filters'

const FLUSH_MS = 100
const MAX_PER_BATCH = 500
const HEARTBEAT_MS = 15_000

export interface LiveStreams {
  /** Ends every open stream (shutdown). */
  closeAll(): void
}

export function registerLiveRoute(app: FastifyInstance, ctx: EngineContext): LiveStreams {
  const open = new Set<ServerResponse>()

  app.get('/api/live', (request, reply) => {
    const matches = compileFilters(parseFilters(request.query as Record<string, unknown>))
    reply.hijack()
    const res = reply.raw
    res.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-cache, no-transform',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no'
    })
    res.write('retry: 2000\n: connected\n\n')
    open.add(res)

    let pending: EventSummary[] = []
    let dropped = 0
    let flushTimer: NodeJS.Timeout | null = null
    const flush = (): void => {
      flushTimer = null
      const batch: LiveBatch = { events: pending, dropped }
      pending = []
      dropped = 0
      // A slow reader keeps its socket buffer full: skip rather than queue without bound.
      if (res.writableLength > 1024 * 1024) {
        dropped += batch.events.length + batch.dropped
        flushTimer = setTimeout(flush, FLUSH_MS * 10) // report the count once the reader catches up
        return
      }
      res.write(`event: events\ndata: ${JSON.stringify(batch)}\n\n`)
    }
    const unsubscribe = ctx.live.subscribe((events) => {
      for (const event of events) {
        if (!matches(event)) continue
        if (pending.length < MAX_PER_BATCH) pending.push(summaryOf(event, ctx))
        else dropped++
      }
      if ((pending.length > 0 || dropped > 0) && !flushTimer) flushTimer = setTimeout(flush, FLUSH_MS)
    })
    const heartbeat = setInterval(() => res.write(': ping\n\n'), HEARTBEAT_MS)
    res.on('close', () => {
      unsubscribe()
      clearInterval(heartbeat)
      if (flushTimer) clearTimeout(flushTimer)
      open.delete(res)
    })
  })

  return {
    closeAll() {
      for (const res of open) res.end()
      open.clear()
    }
  }
}

// One summary per event, however many streams show it.
const summaries = new WeakMap<CommittedEvent, EventSummary>()
function summaryOf(event: CommittedEvent, ctx: EngineContext): EventSummary {
  let summary = summaries.get(event)
  if (!summary) summaries.set(event, (summary = summarize(event, (pii) => ctx.privacy.highest(pii))))
  return summary
}

export function compileFilters(filters: Filters): (event: CommittedEvent) => boolean {
  const words = queryWords(filters.q ?? '')
  return ({ row }) =>
    (filters.source === undefined || row.sourceId === filters.source) &&
    (filters.type === undefined || row.type === filters.type) &&
    (filters.event === undefined || row.name === filters.event) &&
    (filters.userId === undefined || row.userId === filters.userId) &&
    (filters.anonymousId === undefined || row.anonymousId === filters.anonymousId) &&
    (filters.user === undefined || row.userId === filters.user || row.anonymousId === filters.user) &&
    (filters.messageId === undefined || row.messageId === filters.messageId) &&
    (filters.from === undefined || row.receivedAt >= filters.from) &&
    (filters.to === undefined || row.receivedAt < filters.to) &&
    (!filters.violations || (row.validation?.violations.length ?? 0) > 0) &&
    (!filters.quarantined || row.validation?.held === true) &&
    (!filters.pii || Boolean(row.pii)) &&
    (words.length === 0 || matchesWords(row.payload, words))
}
