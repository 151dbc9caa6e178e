// The schema view of a source (what it actually sends), plan inference from it, and re-validation of stored
// events against a plan (issue #5).

import type { FastifyInstance } from 'fastify'
import type { CreatePlanRequest, PlanRule, RevalidateJob, SourceSchema, TrackingPlan } from '../../../../src-shared/plans'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { inferPlan } from '../../protocols/infer'
import { RevalidateRunner } from '../../protocols/revalidate'
import { SCHEMA_SCAN_LIMIT, SchemaScanner, toSourceSchema, type ObservedStream, type ScanWindow } from '../../protocols/schema-view'
import { invalid } from './destination-settings'
import { timeRange } from './time-range'

/** Inference reads further back than the view: a plan should cover rare events too. */
const INFER_SCAN_LIMIT = 1_000_000

export function registerSchemaRoutes(app: FastifyInstance, ctx: EngineContext): void {
  // Built on first use: the statements it prepares live on the main
  // thread's read connection.
  let scanner: SchemaScanner | null = null
  const scan = (window: ScanWindow): Promise<ObservedStream> => (scanner ??= new SchemaScanner(ctx.db)).scan(window)

  app.get<{ Params: { id: string }; Querystring: { limit?: string } }>('/api/sources/:id/schema', async (request): Promise<SourceSchema> => {
    const raw = request.params.id
    const source = /^\d{1,15}$/.test(raw) ? ctx.sources.get(Number(raw)) : null
    if (!source) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${raw}".`, 'id')
    const limitRaw = request.query.limit
    if (limitRaw !== undefined && (!/^\d{1,7}$/.test(limitRaw) || Number(limitRaw) < 1 || Number(limitRaw) > SCHEMA_SCAN_LIMIT)) {
      throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `limit must be an integer from 1 to ${SCHEMA_SCAN_LIMIT}`, 'limit')
    }
    const stream = await scan({ sourceId: source.id, limit: limitRaw === undefined ? SCHEMA_SCAN_LIMIT : Number(limitRaw) })
    const connected = ctx.plans.forSource(source.id)
    const rules = connected ? ctx.plans.version(connected.planId, connected.version)?.rules : undefined
    return toSourceSchema(source.id, stream, rules ? plannedIn(rules) : undefined)
  })

  app.post('/api/plans/infer', async (request): Promise<CreatePlanRequest> => {
    const fields = bodyFields(request.body, ['sourceId', 'from', 'to', 'requiredThreshold'])
    const source = typeof fields.sourceId === 'number' && Number.isInteger(fields.sourceId) ? ctx.sources.get(fields.sourceId) : null
    if (!source) invalid('sourceId', 'sourceId must be an existing source id')
    const { from, to } = timeRange(fields)
    const threshold = fields.requiredThreshold ?? 1
    if (typeof threshold !== 'number' || !(threshold > 0 && threshold <= 1)) invalid('requiredThreshold', 'requiredThreshold must be a number above 0 and at most 1')
    const window: ScanWindow = { sourceId: source.id, from, to, limit: INFER_SCAN_LIMIT }
    // Time → log positions first, so the walk stays inside the range instead of testing every event.
    if (from !== undefined) window.minId = ctx.queries.idAtOrAfter(from)
    if (to !== undefined) window.belowId = ctx.queries.idBelow(to) + 1
    const stream = await scan(window)
    return inferPlan(stream, { name: `${source.name} (inferred)`, requiredThreshold: threshold })
  })

  let runner: RevalidateRunner | null = null
  const jobs = (): RevalidateRunner => (runner ??= new RevalidateRunner(ctx.db))
  // Running jobs stop before the engine closes the database under them.
  app.addHook('onClose', async () => runner?.close())
  const findPlan = (raw: string): TrackingPlan => {
    const plan = /^\d{1,15}$/.test(raw) ? ctx.plans.get(Number(raw)) : null
    if (!plan) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No plan with id "${raw}".`, 'id')
    return plan
  }
  const findJob = (plan: TrackingPlan, raw: string): RevalidateJob => {
    const job = jobs().view(raw)
    if (!job || job.planId !== plan.id) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No re-validation "${raw}" of plan ${plan.id}.`, 'jobId')
    return job
  }

  app.post<{ Params: { id: string } }>('/api/plans/:id/revalidate', async (request, reply): Promise<RevalidateJob> => {
    const plan = findPlan(request.params.id)
    const fields = bodyFields(request.body ?? {}, ['sourceIds', 'from', 'to'])
    const sourceIds = fields.sourceIds ?? plan.sourceIds
    if (!Array.isArray(sourceIds) || !sourceIds.every((id) => Number.isInteger(id) && ctx.sources.get(id as number))) invalid('sourceIds', 'sourceIds must list existing source ids')
    if (sourceIds.length === 0) invalid('sourceIds', 'sourceIds must list at least one source (default: the plan’s connected sources, which are none)')
    const { from, to } = timeRange(fields)
    const rules = plan.rules
    const compiled = ctx.planValidators.get(plan.id, plan.version, () => rules)
    const job = jobs().start({
      planId: plan.id,
      planVersion: plan.version,
      plan: compiled,
      sourceIds: [...new Set(sourceIds as number[])],
      minId: from === undefined ? 0 : ctx.queries.idAtOrAfter(from),
      belowId: to === undefined ? Number.MAX_SAFE_INTEGER : ctx.queries.idBelow(to) + 1,
      from,
      to
    })
    reply.code(202)
    return job
  })

  app.get<{ Params: { id: string; jobId: string } }>('/api/plans/:id/revalidate/:jobId', async (request): Promise<RevalidateJob> => findJob(findPlan(request.params.id), request.params.jobId))

  app.delete<{ Params: { id: string; jobId: string } }>('/api/plans/:id/revalidate/:jobId', async (request): Promise<RevalidateJob> => {
    const job = findJob(findPlan(request.params.id), request.params.jobId)
    return jobs().cancel(job.id)!
  })
}

function bodyFields(body: unknown, allowed: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'The body must be a JSON object')
  const fields = body as Record<string, unknown>
  const unknown = Object.keys(fields).find((k) => !allowed.includes(k))
  if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
  return fields
}


/** Whether an event is in a plan: track events by name (Segment's unplanned events); other calls by their rule's presence. */
export function plannedIn(rules: PlanRule[]): (type: string, name: string | null) => boolean {
  const tracks = new Set(rules.filter((r) => r.type === 'TRACK' && r.key !== undefined).map((r) => r.key!))
  const types = new Set(rules.map((r) => r.type.toLowerCase()))
  return (type, name) => (type === 'track' ? name !== null && tracks.has(name) : type === 'alias' || types.has(type))
}
