// Test runs: each gets a source of its own (write key `wk_run_<id>`, since official clients cannot add
// headers), and may open a capture window over existing sources. An event belongs to a run if it came
// through the run's write key (at any time: a late flush after the run ended still lands in its run), carries
// `context.loupe.runId` = the run id (any source; also for ids never created here), or reached one of the
// window's sources while the window was open.

import { randomBytes } from 'node:crypto'
import type { CreateRunRequest, TestRun } from '../../../src-shared/qa'
import type { RunReads, RunRow } from '../store/runs'
import type { SourceRegistry } from '../store/sources'
import type { StoreThread } from '../store/store-thread'
import { invalid, objectAt } from './parse-request'
import { readField } from './path'

/** Which events a run holds, in the terms the store can query. */
export interface RunScope {
  id: string
  /** The run's own source; null for a run id only known from events' context. */
  sourceId: number | null
  windows: { sourceId: number; from: number; to: number | null }[]
}

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'
const RUN_TAG = ['context', 'loupe', 'runId']

export const runWriteKey = (id: string): string => `wk_run_${id}`

/** Letters and digits only: the id must be one word for the full-text index that finds tagged events. */
function newRunId(): string {
  return [...randomBytes(12)].map((b) => ALPHABET[b % ALPHABET.length]).join('')
}

export class Runs {
  constructor(private readonly reads: RunReads, private readonly store: StoreThread, private readonly sources: SourceRegistry) {}

  async create(body: unknown): Promise<RunRow> {
    const req = (body === undefined ? {} : objectAt(body, 'body')) as CreateRunRequest & Record<string, unknown>
    for (const key of Object.keys(req)) if (key !== 'name' && key !== 'windowSourceIds') invalid(key, 'unknown field; expected name or windowSourceIds')
    if (req.name !== undefined && (typeof req.name !== 'string' || req.name.trim() === '' || req.name.length > 200)) invalid('name', 'must be a non-empty string of at most 200 characters')
    const windows = req.windowSourceIds ?? []
    if (!Array.isArray(windows) || windows.length > 100) invalid('windowSourceIds', 'must be a list of at most 100 source ids')
    windows.forEach((id, i) => {
      if (typeof id !== 'number' || !this.sources.get(id)) invalid(`windowSourceIds[${i}]`, `no source with id ${JSON.stringify(id)}`)
    })
    const id = newRunId()
    const name = req.name?.trim() ?? `Run ${id}`
    const source = await this.sources.create(`Test run: ${name}`, runWriteKey(id))
    const startedAt = Date.now()
    try {
      await this.store.command('runs.create', { id, name, sourceId: source.id, windowSourceIds: [...new Set(windows)], startedAt })
    } catch (error) {
      await this.sources.remove(source.id).catch(() => undefined)
      throw error
    }
    return this.reads.get(id)!
  }

  /** Closes the capture window; null if there is no such run. Ending twice keeps the first end. */
  async end(id: string): Promise<RunRow | null> {
    if (!this.reads.get(id)) return null
    await this.store.command('runs.end', { id, endedAt: Date.now() })
    return this.reads.get(id)
  }

  get(id: string): RunRow | null {
    return this.reads.get(id)
  }

  list(): RunRow[] {
    return this.reads.list()
  }

  /** Counts an assertion's outcome on its run (for the Runs screen); a run id only carried in events has no row. */
  recordAssertion(id: string, matched: boolean): void {
    if (!this.reads.get(id)) return
    this.store.command('runs.countAssertion', { id, failed: !matched }).catch(() => undefined)
  }

  /** The scope of a run id (a run created here, or an id only carried in events' context). */
  scope(id: string): RunScope {
    const run = this.reads.get(id)
    if (!run) return { id, sourceId: null, windows: [] }
    return { id, sourceId: run.sourceId, windows: run.windowSourceIds.map((sourceId) => ({ sourceId, from: run.startedAt, to: run.endedAt })) }
  }
}

/** Whether an event (payload parsed) belongs to the run. */
export function inRun(scope: RunScope, e: { sourceId: number; receivedAt: number; payload: unknown }): boolean {
  if (e.sourceId === scope.sourceId) return true
  const tag = readField(e.payload, RUN_TAG)
  if (tag === scope.id) return true
  // An event tagged for another run is that run's, even when it reaches a source this run watches.
  if (typeof tag === 'string' && tag !== '') return false
  return scope.windows.some((w) => w.sourceId === e.sourceId && e.receivedAt >= w.from && (w.to === null || e.receivedAt < w.to))
}

export function toTestRun(run: RunRow, events: number, violations: TestRun['violations'] = null): TestRun {
  return {
    id: run.id,
    name: run.name,
    writeKey: runWriteKey(run.id),
    sourceId: run.sourceId,
    windowSourceIds: run.windowSourceIds,
    startedAt: new Date(run.startedAt).toISOString(),
    endedAt: run.endedAt === null ? null : new Date(run.endedAt).toISOString(),
    events,
    assertions: { checked: run.assertions, failed: run.failedAssertions },
    violations
  }
}
