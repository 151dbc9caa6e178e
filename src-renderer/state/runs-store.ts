// Test runs (QA mode): the list, the open run's events, and the last expectations report. The list refreshes
// while the Runs screen is open, so a CI job's runs and their counts appear without a reload.

import { create } from 'zustand'
import type { EventRecord } from '../../src-shared/api'
import type { ClearResult, ExpectationsFile, ExpectationsResult, TestRun } from '../../src-shared/qa'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export const RUNS_POLL_MS = 2000

export interface RunsApi {
  listRuns(): Promise<TestRun[]>
  getRun(id: string): Promise<TestRun>
  endRun(id: string): Promise<TestRun>
  clearRun(id: string): Promise<ClearResult>
  runEvents(id: string): Promise<{ events: EventRecord[]; count: number }>
  checkExpectations(body: ExpectationsFile): Promise<ExpectationsResult>
}

export interface RunEvents {
  runId: string
  events: EventRecord[]
  /** All of the run's events, not only those returned. */
  count: number
}

export interface RunsState {
  runs: TestRun[]
  loaded: boolean
  error: string | null
  detail: RunEvents | null
  report: { runId: string; result: ExpectationsResult } | null
  load(): Promise<void>
  loadEvents(id: string): Promise<void>
  end(id: string): Promise<void>
  clear(id: string): Promise<number>
  check(id: string, file: ExpectationsFile): Promise<ExpectationsResult>
}

/** Newest first; ids are random, so the start time orders them. */
export function sortRuns(runs: readonly TestRun[]): TestRun[] {
  return [...runs].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || a.id.localeCompare(b.id))
}

export function upsertRun(runs: readonly TestRun[], run: TestRun): TestRun[] {
  return sortRuns([...runs.filter((r) => r.id !== run.id), run])
}

export function createRunsStore(client: RunsApi) {
  return create<RunsState>()((set, get) => ({
    runs: [],
    loaded: false,
    error: null,
    detail: null,
    report: null,
    async load() {
      try {
        set({ runs: sortRuns(await client.listRuns()), loaded: true, error: null })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    async loadEvents(id) {
      const { events, count } = await client.runEvents(id)
      set({ detail: { runId: id, events, count } })
    },
    async end(id) {
      set({ runs: upsertRun(get().runs, await client.endRun(id)) })
    },
    async clear(id) {
      const { deleted } = await client.clearRun(id)
      set({ runs: upsertRun(get().runs, await client.getRun(id)) })
      await get().loadEvents(id)
      return deleted
    },
    async check(id, file) {
      // the open run always wins over a `run:` left in a pasted file: the report must be about what is on screen
      const result = await client.checkExpectations({ ...file, run: id })
      set({ report: { runId: id, result } })
      return result
    }
  }))
}

export const useRuns = createRunsStore(api)

/** Keeps the list (and the open run's events) fresh while the Runs screen is open. */
export function watchRuns(openRunId: string | null): () => void {
  let stopped = false
  let timer: ReturnType<typeof setTimeout> | null = null
  const tick = async (): Promise<void> => {
    const store = useRuns.getState()
    await store.load()
    if (openRunId) await store.loadEvents(openRunId).catch(() => undefined)
    if (!stopped) timer = setTimeout(() => void tick(), RUNS_POLL_MS)
  }
  void tick()
  return () => {
    stopped = true
    if (timer) clearTimeout(timer)
  }
}
