// The typed client of Loupe's QA surface (/api/assert, /api/runs): what a test suite calls to check the
// analytics events its app sent. Plain fetch, no dependencies, so it runs in any Node test runner.

import type { EventRecord } from '../src-shared/api.js'
import type { AssertRequest, AssertResult, CountExpectation, EventMatcher, ExpectationsFile, ExpectationsResult, TestRun } from '../src-shared/qa.js'
import { formatAssertResult } from './report.js'

export interface LoupeConnection {
  /** The engine's base URL, e.g. `http://127.0.0.1:4100`. */
  url: string
  /** The admin token (the data dir's `admin-token` file). */
  token: string
}

export interface WaitOptions {
  /** How long the engine holds the request for the count to hold (default 10 s, at most 300 s). */
  timeoutMs?: number
  count?: number | CountExpectation
}

export interface LoupeClient {
  /** Checks now; throws an Error carrying a readable report (expected vs found, near misses) when it does not hold. */
  expectEvent(match: EventMatcher, count?: number | CountExpectation): Promise<AssertResult>
  /** Waits until the count holds (the engine answers as soon as the event commits); throws with the report at the timeout. */
  waitForEvent(match: EventMatcher, options?: WaitOptions): Promise<AssertResult>
  /** The matching events, newest first (at most 500). */
  events(match: EventMatcher): Promise<EventRecord[]>
  /** A test run: its own write key, so only the events sent with it (or tagged with its id) count in its queries. */
  startRun(name?: string): Promise<LoupeRun>
  /** A run as the engine sees it now (ended or not, its event count). */
  getRun(id: string): Promise<TestRun>
  /** Deletes the captured events of one source (never the whole store). */
  clearSource(sourceId: number): Promise<void>
  /** Every expectation of an expectations file checked in one call (what `loupe assert` does). */
  checkExpectations(file: ExpectationsFile): Promise<ExpectationsResult>
}

export interface LoupeRun {
  id: string
  writeKey: string
  sourceId: number
  run: TestRun
  /** The same checks as the client's, scoped to this run. */
  expectEvent(match: EventMatcher, count?: number | CountExpectation): Promise<AssertResult>
  waitForEvent(match: EventMatcher, options?: WaitOptions): Promise<AssertResult>
  events(match: EventMatcher): Promise<EventRecord[]>
  /** Marks the run ended and closes its capture window. Its write key still belongs to it, so a late flush lands in this run, never another. */
  endRun(): Promise<TestRun>
  /** Deletes this run's events. */
  clear(): Promise<void>
}

/** An error answer of the admin API (`{ error: { code, message, field? } }`). */
export class LoupeApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string
  ) {
    super(message)
    this.name = 'LoupeApiError'
  }
}

/** A check that did not hold; `message` is the readable report, `result` the engine's answer. */
export class LoupeAssertionError extends Error {
  constructor(readonly result: AssertResult, waited = false) {
    super(formatAssertResult(result, { waited }))
    this.name = 'LoupeAssertionError'
  }
}

const DEFAULT_WAIT_MS = 10_000

export function createLoupe(connection: LoupeConnection): LoupeClient {
  const base = connection.url.replace(/\/+$/, '')
  const call = <T>(method: string, path: string, body?: unknown): Promise<T> => request<T>(base, connection.token, method, path, body)

  const assertEvents = (req: AssertRequest): Promise<AssertResult> => call<AssertResult>('POST', '/api/assert/events', req)

  const expectEvent = async (match: EventMatcher, count?: number | CountExpectation): Promise<AssertResult> => {
    const result = await assertEvents({ match, ...countPart(count) })
    if (!result.matched) throw new LoupeAssertionError(result)
    return result
  }
  const waitForEvent = async (match: EventMatcher, options: WaitOptions = {}): Promise<AssertResult> => {
    const result = await assertEvents({ match, ...countPart(options.count), timeoutMs: options.timeoutMs ?? DEFAULT_WAIT_MS })
    if (!result.matched) throw new LoupeAssertionError(result, true)
    return result
  }
  const events = async (match: EventMatcher): Promise<EventRecord[]> => {
    // min 0: a query, not a check, so an empty answer is not a failure
    const result = await assertEvents({ match, count: { min: 0 }, limit: 500 })
    return result.events
  }

  return {
    expectEvent,
    waitForEvent,
    events,
    async startRun(name) {
      const run = await call<TestRun>('POST', '/api/runs', name === undefined ? {} : { name })
      const scoped = (match: EventMatcher): EventMatcher => ({ ...match, runId: run.id })
      const path = `/api/runs/${encodeURIComponent(run.id)}`
      return {
        id: run.id,
        writeKey: run.writeKey,
        sourceId: run.sourceId,
        run,
        expectEvent: (match, count) => expectEvent(scoped(match), count),
        waitForEvent: (match, options) => waitForEvent(scoped(match), options),
        events: (match) => events(scoped(match)),
        endRun: () => call<TestRun>('POST', `${path}/end`, {}),
        clear: async () => {
          await call('DELETE', `${path}/events`)
        }
      }
    },
    getRun: (id) => call<TestRun>('GET', `/api/runs/${encodeURIComponent(id)}`),
    async clearSource(sourceId) {
      await call('DELETE', `/api/sources/${encodeURIComponent(String(sourceId))}/events`)
    },
    checkExpectations: (file) => call<ExpectationsResult>('POST', '/api/assert/expectations', file)
  }
}

function countPart(count: number | CountExpectation | undefined): { count?: CountExpectation } {
  if (count === undefined) return {}
  return { count: typeof count === 'number' ? { exactly: count } : count }
}

async function request<T>(base: string, token: string, method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { authorization: `Bearer ${token}` }
  if (body !== undefined) headers['content-type'] = 'application/json'
  let res: Response
  try {
    res = await fetch(`${base}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause
    throw new Error(`Could not reach Loupe at ${base} (${cause?.code ?? cause?.message ?? (error as Error).message}). Is \`loupe serve\` running?`, { cause: error })
  }
  const text = await res.text()
  let parsed: unknown
  try {
    parsed = text === '' ? undefined : JSON.parse(text)
  } catch {
    parsed = undefined
  }
  if (!res.ok) {
    const err = (parsed as { error?: { code?: string; message?: string; field?: string } } | undefined)?.error
    const message = err?.message ?? (text.slice(0, 200) || res.statusText)
    throw new LoupeApiError(res.status, err?.code ?? `HTTP_${res.status}`, `${method} ${path}: ${res.status} ${message}`, err?.field)
  }
  return parsed as T
}
