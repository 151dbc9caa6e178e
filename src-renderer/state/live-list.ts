// The Live list as plain data, so its rules are testable without a browser:
//  - newest first, capped (the stream can outrun any screen; memory stays flat),
//  - while paused the shown list is frozen and arrivals wait in `pending` (also capped), counted as "N new",
//  - `dropped` adds up what the engine itself left out of the stream to keep it bounded.

import type { EventSummary, LiveBatch } from '../../src-shared/api'

export const LIVE_CAP = 5000

export interface LiveList {
  events: EventSummary[]
  pending: EventSummary[]
  /** Events that arrived while paused (may exceed what `pending` can hold). */
  newCount: number
  /** Sum of the engine's `dropped` counts since the stream was (re)connected. */
  dropped: number
  /** Events ever received on this stream; lets a view tell how many rows were just prepended. */
  received: number
}

export const emptyLiveList = (): LiveList => ({ events: [], pending: [], newCount: 0, dropped: 0, received: 0 })

/** A batch lists events in commit order (oldest first); the list wants newest first. */
function newestFirst(batches: readonly LiveBatch[], cap: number): EventSummary[] {
  const out: EventSummary[] = []
  for (let b = batches.length - 1; b >= 0 && out.length < cap; b--) {
    const events = batches[b]!.events
    for (let i = events.length - 1; i >= 0 && out.length < cap; i--) out.push(events[i]!)
  }
  return out
}

function prepend(list: EventSummary[], fresh: EventSummary[], cap: number): EventSummary[] {
  if (fresh.length === 0) return list
  if (fresh.length >= cap) return fresh.slice(0, cap)
  return fresh.concat(list.length + fresh.length > cap ? list.slice(0, cap - fresh.length) : list)
}

/** `skipped`: events that arrived but were discarded before they could be shown (still counted). */
export function applyBatches(state: LiveList, batches: readonly LiveBatch[], paused: boolean, cap = LIVE_CAP, skipped = 0): LiveList {
  if (batches.length === 0 && skipped === 0) return state
  let count = skipped
  let dropped = 0
  for (const batch of batches) {
    count += batch.events.length
    dropped += batch.dropped
  }
  const fresh = newestFirst(batches, cap)
  const base = { ...state, dropped: state.dropped + dropped, received: state.received + count }
  if (paused) return { ...base, pending: prepend(state.pending, fresh, cap), newCount: state.newCount + count }
  return { ...base, events: prepend(state.events, fresh, cap) }
}

/** Unfreezes: what waited joins the list. */
export function resumeList(state: LiveList, cap = LIVE_CAP): LiveList {
  if (state.pending.length === 0 && state.newCount === 0) return state
  return { ...state, events: prepend(state.events, state.pending, cap), pending: [], newCount: 0 }
}

/** A deleted source's events are gone from the store: they leave the list too. */
export function withoutSource(state: LiveList, sourceId: number): LiveList {
  const keep = (e: EventSummary) => e.sourceId !== sourceId
  return { ...state, events: state.events.filter(keep), pending: state.pending.filter(keep) }
}

/** One event's summary changed (e.g. released from quarantine): its row shows the change, nothing else re-renders. */
export function withEventPatched(state: LiveList, id: string, patch: Partial<EventSummary>): LiveList {
  const apply = (list: EventSummary[]): EventSummary[] => (list.some((e) => e.id === id) ? list.map((e) => (e.id === id ? { ...e, ...patch } : e)) : list)
  const events = apply(state.events)
  const pending = apply(state.pending)
  return events === state.events && pending === state.pending ? state : { ...state, events, pending }
}

/** Recent stored events shown under the stream when it (re)connects, so Live is never blank for no reason. */
export function mergeBackfill(state: LiveList, stored: readonly EventSummary[], cap = LIVE_CAP): LiveList {
  const seen = new Set(state.events.map((e) => e.id))
  const older = stored.filter((e) => !seen.has(e.id))
  if (older.length === 0) return state
  const events = state.events.concat(older).sort((a, b) => Number(b.id) - Number(a.id)).slice(0, cap)
  return { ...state, events }
}
