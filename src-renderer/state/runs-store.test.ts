import { describe, expect, it } from 'vitest'
import type { TestRun } from '../../src-shared/qa'
import { sortRuns, upsertRun } from './runs-store'

const run = (id: string, startedAt: string, events = 0): TestRun => ({
  id,
  name: id,
  writeKey: `wk_run_${id}`,
  sourceId: 1,
  windowSourceIds: [],
  startedAt,
  endedAt: null,
  events,
  assertions: { checked: 0, failed: 0 },
  violations: null
})

describe('runs list', () => {
  it('shows the newest run first', () => {
    const runs = sortRuns([run('a', '2026-01-01T10:00:00.000Z'), run('c', '2026-01-01T12:00:00.000Z'), run('b', '2026-01-01T11:00:00.000Z')])
    expect(runs.map((r) => r.id)).toEqual(['c', 'b', 'a'])
  })

  it('replaces a run by id with the engine’s newer answer, in place', () => {
    const runs = [run('b', '2026-01-01T11:00:00.000Z'), run('a', '2026-01-01T10:00:00.000Z', 3)]
    const ended = { ...run('a', '2026-01-01T10:00:00.000Z', 0), endedAt: '2026-01-01T10:05:00.000Z' }
    expect(upsertRun(runs, ended)).toEqual([runs[0], ended])
  })
})
