// QA mode's admin API (src-shared/qa.ts): assertions with wait-for, expectations files, test runs, and clears
// scoped to a source or a run. A whole-store reset needs an explicit confirmation phrase in its body, so no
// empty POST, retried request or mistyped URL can wipe everything.

import type { FastifyInstance, FastifyReply } from 'fastify'
import { RESET_CONFIRMATION, type AssertResult, type ClearResult, type ExpectationsResult, type TestRun } from '../../../../src-shared/qa'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { checkExpectations } from '../../qa/expectations'
import { parseAssertBody, parseAssertQuery } from '../../qa/parse-request'
import { toTestRun } from '../../qa/runs'
import type { RunRow } from '../../store/runs'
import type { Candidate } from '../../qa/matcher'

export function registerQaRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const { qa } = ctx

  app.post('/api/assert/events', async (request, reply): Promise<AssertResult> => {
    return qa.asserter.run(parseAssertBody(request.body), { signal: disconnected(reply) })
  })

  app.get('/api/assert/events', async (request, reply): Promise<AssertResult> => {
    return qa.asserter.run(parseAssertQuery(request.query as Record<string, unknown>), { signal: disconnected(reply) })
  })

  app.post('/api/assert/expectations', async (request, reply): Promise<ExpectationsResult> => {
    return checkExpectations(request.body, qa.asserter, qa.waiters, disconnected(reply))
  })

  app.post('/api/runs', async (request, reply): Promise<TestRun> => {
    const run = await qa.runs.create(request.body)
    reply.code(201)
    return toTestRun(run, 0)
  })

  app.get('/api/runs', async (): Promise<{ runs: TestRun[] }> => ({ runs: qa.runs.list().map((run) => withCount(run)) }))

  app.get<{ Params: { id: string } }>('/api/runs/:id', async (request): Promise<TestRun> => withCount(runOf(request.params.id)))

  app.post<{ Params: { id: string } }>('/api/runs/:id/end', async (request): Promise<TestRun> => {
    runOf(request.params.id)
    return withCount((await qa.runs.end(request.params.id))!)
  })

  app.delete<{ Params: { id: string } }>('/api/runs/:id/events', async (request): Promise<ClearResult> => {
    return { deleted: await qa.clearer.clearRun(runOf(request.params.id).id) }
  })

  app.delete<{ Params: { id: string } }>('/api/sources/:id/events', async (request): Promise<ClearResult> => {
    const { id } = request.params
    if (!/^\d{1,15}$/.test(id) || !ctx.sources.get(Number(id))) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${id}".`, 'id')
    return { deleted: await qa.clearer.clearSource(Number(id)) }
  })

  app.post('/api/reset', async (request): Promise<ClearResult> => {
    const body = request.body as { confirm?: unknown } | undefined
    if (typeof body !== 'object' || body === null || body.confirm !== RESET_CONFIRMATION) {
      throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY',
        `confirm: deleting every event needs the body {"confirm": "${RESET_CONFIRMATION}"}; to clear less, use DELETE /api/sources/:id/events or DELETE /api/runs/:id/events`, 'confirm')
    }
    return { deleted: await qa.clearer.reset() }
  })

  function runOf(id: string): RunRow {
    const run = id.length <= 100 ? qa.runs.get(id) : null
    if (!run) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No test run with id "${id.slice(0, 100)}".`, 'id')
    return run
  }

  function withCount(run: RunRow): TestRun {
    const events = qa.finder.find({ types: null, runId: run.id, where: [] }, { unbounded: true })
    return toTestRun(run, events.length, violationsOf(events))
  }

  /** The run's events against the plans of their sources (validators are compiled once per plan version). */
  function violationsOf(events: Candidate[]): TestRun['violations'] {
    let checked = 0
    let withViolations = 0
    let total = 0
    for (const event of events) {
      const plan = ctx.plans.forSource(event.sourceId)
      if (!plan) continue
      const validator = ctx.planValidators.get(plan.planId, plan.version, () => ctx.plans.version(plan.planId, plan.version)?.rules ?? [])
      // The stored payload is what the client sent: a /v1/track body has no `type` of its own.
      const found = validator.validate({ ...(event.payload as Record<string, unknown>), type: event.type }).length
      checked++
      if (found > 0) withViolations++
      total += found
    }
    return checked === 0 ? null : { events: withViolations, total }
  }
}

/** Aborts when the client goes away before its answer: a held wait-for then releases its waiter. */
function disconnected(reply: FastifyReply): AbortSignal {
  const controller = new AbortController()
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort()
  })
  return controller.signal
}
