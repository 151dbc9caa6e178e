// Summaries for store tests: ids grow like the engine's rowids.

import type { EventSummary, LiveBatch } from '../../src-shared/api'

export function summary(id: number, overrides: Partial<EventSummary> = {}): EventSummary {
  return {
    id: String(id),
    sourceId: 1,
    type: 'track',
    name: `Event ${id}`,
    userId: 'u1',
    anonymousId: null,
    messageId: `m-${id}`,
    receivedAt: new Date(1_700_000_000_000 + id).toISOString(),
    timestamp: new Date(1_700_000_000_000 + id).toISOString(),
    size: 100,
    warnings: [],
    violations: 0,
    quarantine: null,
    pii: null,
    ...overrides
  }
}

/** A batch of events with ids from..to (inclusive), in commit order. */
export function batch(from: number, to: number, dropped = 0): LiveBatch {
  const events: EventSummary[] = []
  for (let id = from; id <= to; id++) events.push(summary(id))
  return { events, dropped }
}

export const ids = (events: readonly EventSummary[]): number[] => events.map((e) => Number(e.id))
