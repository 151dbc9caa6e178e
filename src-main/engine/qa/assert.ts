// One assertion: count the stored events that match, and — with a timeout — hold the request until the count
// holds, following commits on the live bus. Always answers 200 with `matched` (a failed expectation is not an
// error a client should retry).
//
// Upper bounds (`exactly`, `max`) can only be broken by more events, so with a timeout:
//  - a count above the bound answers at once (matched: false; events only grow);
//  - a count within the bounds answers after it has stayed there for SETTLE_MS (or at the timeout, if
//    sooner), so "exactly 1" is not declared before a duplicate that is already on its way arrives.
// Without an upper bound the answer comes as soon as the minimum is reached.

import type { AssertResult, NearMiss } from '../../../src-shared/qa'
import type { EventQueries } from '../store/events-query'
import type { CommittedEvent } from '../store/event-row'
import type { RunReads } from '../store/runs'
import type { EventFinder } from './candidates'
import { countHolds, describe, matches, type Candidate, type CompiledMatcher } from './matcher'
import { findNearMisses } from './near-miss'
import type { ParsedAssert } from './parse-request'
import { inRun, type RunScope, type Runs } from './runs'
import type { Waiters } from './wait-for'

export const SETTLE_MS = 500

export interface AssertOptions {
  /** Aborted when the client goes away: the waiter is released. */
  signal?: AbortSignal
  /** The caller has reserved the waiter slot already (expectations reserve all of theirs at once). */
  reserved?: boolean
}

export class Asserter {
  constructor(
    private readonly finder: EventFinder,
    private readonly queries: EventQueries,
    private readonly reads: RunReads,
    private readonly runs: Runs,
    private readonly waiters: Waiters
  ) {}

  async run(req: ParsedAssert, options: AssertOptions = {}): Promise<AssertResult> {
    const result = await this.check(req, options)
    if (req.matcher.runId !== undefined) this.runs.recordAssertion(req.matcher.runId, result.matched)
    return result
  }

  private async check(req: ParsedAssert, options: AssertOptions): Promise<AssertResult> {
    const started = Date.now()
    if (req.timeoutMs === 0) return this.answer(req, this.stored(req.matcher), started)
    const release = options.reserved ? () => {} : this.waiters.reserve(1)
    try {
      return await this.wait(req, started, options.signal)
    } finally {
      release()
    }
  }

  /** Stored matches (ids, newest first), optionally only up to an event id. */
  private stored(m: CompiledMatcher, upTo?: number): number[] {
    return this.finder.find(m, { upTo }).filter((c) => matches(m, c)).map((c) => c.id)
  }

  private wait(req: ParsedAssert, started: number, signal?: AbortSignal): Promise<AssertResult> {
    const m = req.matcher
    const rule = req.count
    return new Promise<AssertResult>((resolve, reject) => {
      const fresh: number[] = []
      let ids: number[] = []
      let settle: NodeJS.Timeout | null = null
      let done = false
      const belongs = this.liveTest(m)
      // Subscribed before the stored count is read: nothing commits unseen in between. Events the stored
      // read already covers (ids up to highWater) are skipped when the bus delivers them.
      let highWater = Number.MAX_SAFE_INTEGER
      const stop = this.waiters.watch((events) => {
        let added = false
        for (const e of events) {
          if (e.id > highWater && belongs(e)) {
            fresh.push(e.id)
            added = true
          }
        }
        if (added) check()
      }, () => finish())
      const timer = setTimeout(() => finish(), Math.max(0, req.timeoutMs - (Date.now() - started)))
      const onAbort = (): void => finish()
      signal?.addEventListener('abort', onAbort)

      function check(): void {
        const n = ids.length + fresh.length
        if (rule.max !== null && n > rule.max) return finish()
        if (!countHolds(rule, n)) return
        if (rule.max === null) return finish()
        if (!settle) settle = setTimeout(() => finish(), Math.max(0, Math.min(SETTLE_MS, req.timeoutMs - (Date.now() - started))))
      }
      const finish = (): void => {
        if (done) return
        done = true
        stop()
        clearTimeout(timer)
        if (settle) clearTimeout(settle)
        signal?.removeEventListener('abort', onAbort)
        try {
          resolve(this.answer(req, [...fresh.reverse(), ...ids], started))
        } catch (error) {
          reject(error)
        }
      }
      try {
        highWater = this.reads.lastEventId()
        ids = this.stored(m, highWater)
      } catch (error) {
        done = true
        stop()
        clearTimeout(timer)
        signal?.removeEventListener('abort', onAbort)
        return reject(error)
      }
      if (signal?.aborted) return finish()
      check()
    })
  }

  /** Whether a just-committed event matches (cheap column checks first; the payload is parsed last). */
  private liveTest(m: CompiledMatcher): (e: CommittedEvent) => boolean {
    const initial: RunScope | null = m.runId === undefined ? null : this.runs.scope(m.runId)
    return (e) => {
      const c = fromCommitted(e)
      if (!matches({ ...m, where: [] }, c, true)) return false
      if (initial) {
        const windowed = initial.windows.some((w) => w.sourceId === c.sourceId)
        // A window may have closed since the wait began: read the run again for window sources only.
        const scope = windowed ? this.runs.scope(initial.id) : initial
        if (c.sourceId !== scope.sourceId && !windowed && !e.row.payload.includes(scope.id)) return false
        if (!inRun(scope, c)) return false
      }
      return matches(m, c)
    }
  }

  private answer(req: ParsedAssert, ids: number[], started: number): AssertResult {
    const count = ids.length
    const matched = countHolds(req.count, count)
    const events = ids.slice(0, req.limit).flatMap((id) => this.queries.get(id) ?? [])
    let nearMisses: NearMiss[] = []
    // Too few: show what came close. Too many: the events themselves are the explanation.
    if (!matched && count < req.count.min) {
      nearMisses = findNearMisses(this.finder, req.matcher, new Set(ids)).flatMap((miss) => {
        const event = this.queries.get(miss.candidate.id)
        return event ? [{ event, differences: miss.differences }] : []
      })
    }
    return { matched, count, expected: describe(req.matcher, req.count), events, nearMisses, waitedMs: Date.now() - started }
  }
}

function fromCommitted(e: CommittedEvent): Candidate {
  const { row } = e
  let parsed: unknown
  return {
    id: e.id,
    sourceId: row.sourceId,
    type: row.type,
    name: row.name,
    userId: row.userId,
    anonymousId: row.anonymousId,
    receivedAt: row.receivedAt,
    get payload() {
      if (parsed === undefined) parsed = JSON.parse(row.payload)
      return parsed
    }
  }
}
