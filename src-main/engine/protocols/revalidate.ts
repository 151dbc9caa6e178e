// Re-validating history: a what-if run of one plan version over stored events, before enforcing it.
// Runs on the main thread in slices that yield to the event loop, so the admin API and ingest stay served;
// jobs live in memory (a what-if is cheap to run again, and nothing else depends on its result).

import type { Database, Statement } from 'better-sqlite3'
import type { RevalidateJob, ViolationKind } from '../../../src-shared/plans'
import type { CompiledPlan } from './validator'

/** Events checked between two yields to the event loop. */
const SLICE = 2000
/** Distinct (event, kind, pointer) groups kept: attacker-chosen property names must not grow memory without end. */
const MAX_GROUPS = 10_000
/** Groups shown in a job's view, most frequent first. */
const SHOWN_GROUPS = 200
/** Finished jobs kept for GET. */
const KEPT_JOBS = 20

export interface RevalidateScope {
  planId: number
  planVersion: number
  plan: CompiledPlan
  sourceIds: number[]
  /** Log positions bounding the walk: ids ≥ minId and < belowId. */
  minId: number
  belowId: number
  /** Epoch ms, the exact received_at test inside the id bounds. */
  from?: number
  to?: number
}

interface Group {
  event: string
  kind: ViolationKind
  pointer: string
  count: number
  sampleEventId: string
}

interface JobState {
  job: Omit<RevalidateJob, 'groups'>
  groups: Map<string, Group>
  cancelled: boolean
}

interface Row {
  id: number
  type: string
  name: string | null
  payload: string
}

export class RevalidateRunner {
  private readonly jobs = new Map<string, JobState>()
  private readonly slice: Statement<unknown[], Row>
  private readonly count: Statement<unknown[], number>
  private next = 1
  private closed = false

  constructor(db: Database, private readonly sliceSize = SLICE) {
    const time = 'AND (? IS NULL OR received_at >= ?) AND (? IS NULL OR received_at < ?)'
    this.slice = db.prepare(`SELECT id, type, name, payload FROM events WHERE source_id = ? AND id >= ? AND id < ? ${time} ORDER BY id LIMIT ?`)
    this.count = db.prepare(`SELECT COUNT(*) FROM events WHERE source_id = ? AND id >= ? AND id < ? ${time}`).pluck() as Statement<unknown[], number>
  }

  start(scope: RevalidateScope): RevalidateJob {
    const id = `rv_${this.next++}`
    const time = [scope.from ?? null, scope.from ?? null, scope.to ?? null, scope.to ?? null]
    const total = scope.sourceIds.reduce((sum, source) => sum + this.count.get(source, scope.minId, scope.belowId, ...time)!, 0)
    const state: JobState = {
      job: { id, planId: scope.planId, planVersion: scope.planVersion, state: 'running', total, checked: 0, withViolations: 0, error: null },
      groups: new Map(),
      cancelled: false
    }
    this.jobs.set(id, state)
    this.forget()
    void this.run(state, scope, time)
    return this.view(id)!
  }

  view(id: string): RevalidateJob | null {
    const state = this.jobs.get(id)
    if (!state) return null
    const groups = [...state.groups.values()].sort((a, b) => b.count - a.count || a.event.localeCompare(b.event) || a.pointer.localeCompare(b.pointer)).slice(0, SHOWN_GROUPS)
    return { ...state.job, groups: groups.map((g) => ({ ...g })) }
  }

  cancel(id: string): RevalidateJob | null {
    const state = this.jobs.get(id)
    if (state && state.job.state === 'running') state.cancelled = true
    return this.view(id)
  }

  /** Stops every running job (the engine is closing its database). */
  close(): void {
    this.closed = true
    for (const state of this.jobs.values()) state.cancelled = true
  }

  private async run(state: JobState, scope: RevalidateScope, time: (number | null)[]): Promise<void> {
    const { job } = state
    try {
      for (const source of scope.sourceIds) {
        let from = scope.minId
        for (;;) {
          if (state.cancelled || this.closed) {
            job.state = 'cancelled'
            return
          }
          const rows = this.slice.all(source, from, scope.belowId, ...time, this.sliceSize)
          for (const row of rows) this.check(state, scope.plan, row)
          if (rows.length < this.sliceSize) break
          from = rows[rows.length - 1]!.id + 1
          await new Promise((resolve) => setImmediate(resolve))
        }
      }
      // Events that arrived inside the window after the count (a `to` in the future) still count.
      job.total = Math.max(job.total, job.checked)
      job.state = 'done'
    } catch (error) {
      job.state = 'failed'
      job.error = (error as Error).message
    }
  }

  private check(state: JobState, plan: CompiledPlan, row: Row): void {
    state.job.checked++
    let message: unknown
    try {
      message = JSON.parse(row.payload)
    } catch {
      return
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return
    // A call to /v1/track need not say `type`: the stored payload is what the client sent, the type is the route's.
    const violations = plan.validate({ ...(message as Record<string, unknown>), type: row.type })
    if (violations.length === 0) return
    state.job.withViolations++
    const event = row.type === 'track' ? (row.name ?? '') : row.type
    for (const v of violations) {
      const key = `${event}\u0000${v.kind}\u0000${v.pointer}`
      const group = state.groups.get(key)
      if (group) group.count++
      else if (state.groups.size < MAX_GROUPS) state.groups.set(key, { event, kind: v.kind, pointer: v.pointer, count: 1, sampleEventId: String(row.id) })
    }
  }

  /** Drops the oldest finished jobs beyond KEPT_JOBS. */
  private forget(): void {
    for (const [id, state] of this.jobs) {
      if (this.jobs.size <= KEPT_JOBS) break
      if (state.job.state !== 'running') this.jobs.delete(id)
    }
  }
}
