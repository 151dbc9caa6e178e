// QA and CI mode (the admin API's /api/assert, /api/runs, reset and backup): the contract shared by the
// engine, the renderer, the `loupe assert` CLI and the published testing client.

import type { EventRecord } from './api'

export type SegmentCallType = 'track' | 'identify' | 'page' | 'screen' | 'group' | 'alias'

/** A condition on one field of the event, addressed by a dotted path (`properties.total`, `context.app.version`, `properties.items[0].sku`). */
export interface FieldCondition {
  path: string
  /** Deep equality with this JSON value. */
  equals?: unknown
  /** true: the field is present (not undefined); false: it is absent. */
  exists?: boolean
  /** A JavaScript regular expression the field's string value must match (e.g. `^ord_`). */
  matches?: string
}

/** Which events count. Every given part must hold. */
export interface EventMatcher {
  type?: SegmentCallType | SegmentCallType[]
  /** track: the event name; page/screen: the name. */
  event?: string
  userId?: string
  anonymousId?: string
  sourceId?: number
  /**
   * Only events of this test run (see TestRun): parallel runs and late flushes never leak in. An id no run was
   * created for still works: it then means the events carrying `context.loupe.runId` = this id.
   */
  runId?: string
  /** ISO-8601 bounds on receivedAt: [since, until). */
  since?: string
  until?: string
  where?: FieldCondition[]
}

/** How many matching events are expected (default: at least one). */
export interface CountExpectation {
  exactly?: number
  min?: number
  max?: number
}

/**
 * POST /api/assert/events (or GET with query parameters type (comma-separated), event, userId, anonymousId,
 * sourceId, runId, since, until, count (= exactly), min, max, timeoutMs, limit — no `where`).
 * With `timeoutMs`, the request is held (on the live bus, not by polling) until the count holds or the time is
 * up; either way the answer is 200 — `matched` says which. Upper bounds (`exactly`, `max`) can only be broken
 * by more events: a count above them answers at once (false); a count within them answers once it has stayed
 * so for 500 ms (or at the timeout, if sooner). At most 1,000 requests wait at once (429 beyond).
 * A matcher whose indexed parts (type, event, user, source, run, time) leave more than 50,000 stored events
 * to check is refused (400, field `match`): narrow it with runId, sourceId or since.
 */
export interface AssertRequest {
  match: EventMatcher
  count?: CountExpectation
  /** Wait up to this long for the count to hold (0–300,000 ms; default 0 = answer now). */
  timeoutMs?: number
  /** How many matching events to return (default 20, at most 500). */
  limit?: number
}

export interface NearMiss {
  event: EventRecord
  /** Why it does not match, one line per failed part, e.g. `properties.total: expected 10, got 12`. */
  differences: string[]
}

export interface AssertResult {
  matched: boolean
  /** Matching events found (all of them, not just those returned). */
  count: number
  /** The expectation in words, e.g. `exactly 1 track "Order Completed"`. */
  expected: string
  events: EventRecord[]
  /** When not matched: the closest events (same name with other properties, same type …), best first. */
  nearMisses: NearMiss[]
  waitedMs: number
}

/**
 * A test run. Events belong to it through its own write key (official clients cannot add headers), through
 * `context.loupe.runId` in the event, or — for a capture window — by arriving at one of `sourceIds` while the
 * window is open.
 */
export interface TestRun {
  id: string
  name: string
  /** The write key made for this run (a source of its own). */
  writeKey: string
  sourceId: number
  /** Capture window: events of these sources received between startedAt and endedAt also belong to the run. */
  windowSourceIds: number[]
  startedAt: string
  endedAt: string | null
  events: number
  /** Assertions checked against this run (`match.runId`, or an expectations file's `run`), and how many failed. */
  assertions: { checked: number; failed: number }
  /**
   * The run's events checked against the tracking plans connected to their sources (now, with the plans'
   * current versions): how many have violations, and how many violations in all. null when none of the run's
   * events comes from a source with a plan.
   */
  violations: { events: number; total: number } | null
}

export interface CreateRunRequest {
  name?: string
  /** Open a capture window over these existing sources too. */
  windowSourceIds?: number[]
}

/** An expectations file (`loupe assert <file>`), JSON or YAML. */
export interface ExpectationsFile {
  run?: string
  /** e.g. `30s`, `2m`, or milliseconds. */
  timeout?: string | number
  /** A number as `count` means exactly that many. */
  expect: { name?: string; match: EventMatcher; count?: number | CountExpectation }[]
}

/** POST /api/assert/expectations: every expectation checked in one call. */
export interface ExpectationsResult {
  passed: boolean
  results: { name: string; passed: boolean; result: AssertResult }[]
  /** Human-readable, with a diff-like list of what is missing and the near misses. */
  report: string
}

/**
 * POST /api/reset deletes every event (sources, runs and settings stay) only with exactly this body; anything
 * else is a 400 naming `confirm`. Scoped clears need no phrase: DELETE /api/sources/:id/events and
 * DELETE /api/runs/:id/events. All three delete only events committed before the request, and answer ClearResult.
 */
export const RESET_CONFIRMATION = 'delete all events'

export interface ResetRequest {
  confirm: typeof RESET_CONFIRMATION
}

export interface ClearResult {
  deleted: number
}
