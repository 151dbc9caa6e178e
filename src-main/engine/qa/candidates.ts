// Finding the events an assertion looks at. The store narrows by what it indexes (source, type, name, user,
// time; a run's source, window and — through the full-text index — its id in events' context) using
// EventQueries.search, page by page; only those candidates are parsed and checked in JS (`where`, several
// types, the run tag). A matcher that would make the engine walk more than `maxScan` events is refused.

import { ApiError } from '../errors'
import { decodeCursor, type EventQueries, type EventSearch } from '../store/events-query'
import type { CandidateRow, RunReads } from '../store/runs'
import { matches, type Candidate, type CompiledMatcher } from './matcher'
import type { Runs } from './runs'
import { inRun } from './runs'

const PAGE = 1000

type Filters = Omit<EventSearch, 'limit' | 'before'>

export interface FindOptions {
  /** Keep only the newest `take` candidates and stop there (near misses), instead of finding them all. */
  take?: number
  /** Only events with an id up to this (what a waiter has not yet seen on the live bus comes from there). */
  upTo?: number
  /** Find them all however many (clearing a run), instead of refusing past `maxScan`. */
  unbounded?: boolean
  /** Leave out this source's events (clearing a run deletes its own source's events wholesale). */
  exceptSourceId?: number
}

export class EventFinder {
  constructor(
    private readonly queries: EventQueries,
    private readonly reads: RunReads,
    private readonly runs: Runs,
    private readonly maxScan = 50_000
  ) {}

  /** Events in the matcher's scope that its indexed parts allow, newest first (`where` not applied yet). */
  find(m: CompiledMatcher, options: FindOptions = {}): Candidate[] {
    const found = new Map<number, Candidate>()
    let scanned = 0
    for (const part of this.parts(m, options.exceptSourceId)) {
      let before = options.upTo === undefined ? undefined : options.upTo + 1
      let kept = 0
      for (;;) {
        const page = this.queries.search({ ...part.filters, limit: PAGE, before })
        scanned += page.events.length
        if (scanned > this.maxScan && options.take === undefined && !options.unbounded) {
          throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY',
            `match: more than ${this.maxScan} stored events fit this matcher before its conditions are checked; narrow it with runId, sourceId, event, userId or since`, 'match')
        }
        for (const row of this.reads.candidates(page.events.map((e) => Number(e.id)))) {
          const candidate = toCandidate(row)
          if (part.keep && !part.keep(candidate)) continue
          if (!found.has(candidate.id)) kept++
          found.set(candidate.id, candidate)
        }
        if (!page.nextCursor || (options.take !== undefined && (kept >= options.take || scanned > this.maxScan))) break
        before = decodeCursor(page.nextCursor) ?? undefined
      }
    }
    const all = [...found.values()].sort((a, b) => b.id - a.id)
    return options.take === undefined ? all : all.slice(0, options.take)
  }

  /** The searches that together cover the matcher's scope. */
  private parts(m: CompiledMatcher, except?: number): { filters: Filters; keep?: (c: Candidate) => boolean }[] {
    const base: Filters = {
      source: m.sourceId,
      type: m.types?.length === 1 ? m.types[0] : undefined,
      event: m.event,
      userId: m.userId,
      anonymousId: m.anonymousId,
      from: m.since,
      to: m.until
    }
    const types = m.types && m.types.length > 1 ? new Set(m.types) : null
    const typed = (c: Candidate): boolean => types === null || types.has(c.type)
    if (m.runId === undefined) return [{ filters: base, keep: types ? typed : undefined }]

    const scope = this.runs.scope(m.runId)
    const sourceAllowed = (id: number): boolean => id !== except && (m.sourceId === undefined || m.sourceId === id)
    const parts: { filters: Filters; keep?: (c: Candidate) => boolean }[] = []
    if (scope.sourceId !== null && sourceAllowed(scope.sourceId)) parts.push({ filters: { ...base, source: scope.sourceId }, keep: types ? typed : undefined })
    // The id as free text finds the events that carry it anywhere; the tag itself is checked on each. The id
    // is rare and the name or user may not be, so the full-text index drives and those are checked here.
    const columns: CompiledMatcher = { ...m, where: [] }
    const tagged = { ...scope, sourceId: null, windows: [] }
    parts.push({
      filters: { source: m.sourceId, type: base.type, from: m.since, to: m.until, q: m.runId },
      keep: (c) => c.sourceId !== except && matches(columns, c) && inRun(tagged, c)
    })
    for (const w of scope.windows) {
      if (!sourceAllowed(w.sourceId)) continue
      const from = Math.max(m.since ?? 0, w.from)
      const to = Math.min(m.until ?? Number.MAX_SAFE_INTEGER, w.to ?? Number.MAX_SAFE_INTEGER)
      if (from < to) parts.push({ filters: { ...base, source: w.sourceId, from, to: to === Number.MAX_SAFE_INTEGER ? undefined : to }, keep: types ? typed : undefined })
    }
    return parts
  }
}

/** The payload is parsed only when a check needs it. */
export function toCandidate(row: CandidateRow): Candidate {
  let parsed: unknown
  let done = false
  const { payload, ...columns } = row
  return {
    ...columns,
    get payload() {
      if (!done) {
        parsed = JSON.parse(payload)
        done = true
      }
      return parsed
    }
  }
}
