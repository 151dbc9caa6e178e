// Tracking plans (issue #5): CRUD with kept versions, diff between versions, Segment import/export, and which
// sources a plan is connected to. Every rule's schema is compiled before it is saved; the compiled version is
// kept for the validator (protocols/validator.ts), so ingest does not compile it again.

import type { FastifyInstance } from 'fastify'
import type { CreatePlanRequest, PlanDiff, PlanVersion, PlanVersionSummary, SegmentPlanFile, TrackingPlan, UpdatePlanRequest } from '../../../../src-shared/plans'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { diffRules } from '../../protocols/diff'
import { validateRules } from '../../protocols/plan-rules'
import { readImport, toSegmentFile } from '../../protocols/segment-format'
import type { CompiledPlan } from '../../protocols/validator'
import { invalid } from './destination-settings'
import { stableJson } from '../../config-file/apply'

/** A 200-event plan with descriptions is larger than fastify's default 1 MB body. */
const PLAN_BODY_LIMIT = 16 * 1024 * 1024

export function registerPlanRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const find = (raw: string): TrackingPlan => {
    const plan = /^\d{1,15}$/.test(raw) ? ctx.plans.get(Number(raw)) : null
    if (!plan) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No tracking plan with id "${raw}".`, 'id')
    return plan
  }
  const findVersion = (plan: TrackingPlan, raw: unknown, field: string): PlanVersion => {
    const version = typeof raw === 'string' && /^\d{1,9}$/.test(raw) ? ctx.plans.version(plan.id, Number(raw)) : null
    if (!version) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `Plan ${plan.id} has no version "${String(raw)}" (versions 1 to ${plan.version}).`, field)
    return version
  }
  const sourceIdsOf = (raw: unknown): number[] => {
    if (!Array.isArray(raw) || raw.length > 10_000) invalid('sourceIds', 'sourceIds: must be a list of source ids')
    raw.forEach((id, i) => {
      if (!Number.isInteger(id) || !ctx.sources.get(id as number)) invalid(`sourceIds[${i}]`, `sourceIds[${i}]: no source with id ${JSON.stringify(id)}`)
    })
    return [...new Set(raw as number[])]
  }
  const text = (raw: unknown, field: string, max: number, required: boolean): string => {
    if (typeof raw !== 'string' || raw.length > max || (required && raw.trim().length === 0)) invalid(field, `${field}: must be a text of ${required ? '1' : '0'} to ${max} characters`)
    return raw.trim()
  }
  const onlyKeys = (body: Record<string, unknown>, keys: string[]) => {
    const unknown = Object.keys(body).find((k) => !keys.includes(k))
    if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
  }
  const bodyOf = (raw: unknown): Record<string, unknown> => {
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('', 'The body must be a JSON object')
    return raw as Record<string, unknown>
  }
  // Names are how config files and exports refer to plans: two plans of one name could not be told apart.
  const nameTaken = (name: string, except: number | null): boolean => ctx.plans.list().some((p) => p.name === name && p.id !== except)
  const uniqueName = (name: string, except: number | null): string => {
    if (nameTaken(name, except)) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', `A tracking plan named "${name}" exists already; choose another name.`, 'name')
    return name
  }
  const created = async (args: { name: string; description: string; rules: TrackingPlan['rules']; compiled: CompiledPlan; note: string | null; sourceIds: number[] }): Promise<TrackingPlan> => {
    const id = await ctx.store.command('plans.create', { name: args.name, description: args.description, rules: args.rules, note: args.note, sourceIds: args.sourceIds })
    ctx.planValidators.put(id, 1, args.compiled)
    return ctx.plans.get(id)!
  }

  app.get('/api/plans', async (): Promise<{ plans: TrackingPlan[] }> => ({ plans: ctx.plans.list() }))

  app.post('/api/plans', { bodyLimit: PLAN_BODY_LIMIT }, async (request, reply): Promise<TrackingPlan> => {
    const body = bodyOf(request.body) as Partial<CreatePlanRequest> & Record<string, unknown>
    onlyKeys(body, ['name', 'description', 'rules', 'sourceIds'])
    const name = uniqueName(text(body.name, 'name', 200, true), null)
    const description = body.description === undefined ? '' : text(body.description, 'description', 2000, false)
    const { rules, compiled } = validateRules(body.rules ?? [])
    const sourceIds = body.sourceIds === undefined ? [] : sourceIdsOf(body.sourceIds)
    reply.code(201)
    return created({ name, description, rules, compiled, note: null, sourceIds })
  })

  app.post('/api/plans/import', { bodyLimit: PLAN_BODY_LIMIT }, async (request, reply): Promise<TrackingPlan> => {
    const imported = readImport(request.body)
    const { rules, compiled } = validateRules(imported.rules, 'rules', imported.field)
    reply.code(201)
    // Importing the same file twice keeps both, the second as "Name (2)".
    let name = imported.name
    for (let n = 2; nameTaken(name, null); n++) name = `${imported.name} (${n})`
    return created({ name, description: imported.description, rules, compiled, note: 'Imported', sourceIds: [] })
  })

  app.get<{ Params: { id: string } }>('/api/plans/:id', async (request): Promise<TrackingPlan> => find(request.params.id))

  app.patch<{ Params: { id: string } }>('/api/plans/:id', { bodyLimit: PLAN_BODY_LIMIT }, async (request): Promise<TrackingPlan> => {
    const plan = find(request.params.id)
    const body = bodyOf(request.body) as Partial<UpdatePlanRequest> & Record<string, unknown>
    onlyKeys(body, ['name', 'description', 'rules', 'note', 'sourceIds'])
    const name = body.name === undefined ? undefined : uniqueName(text(body.name, 'name', 200, true), plan.id)
    const description = body.description === undefined ? undefined : text(body.description, 'description', 2000, false)
    const note = body.note === undefined || body.note === null ? null : text(body.note, 'note', 2000, false) || null
    // The same rules again (whatever their key order) are no change: no new version.
    const given = body.rules === undefined ? null : validateRules(body.rules)
    const checked = given && stableJson(given.rules) !== stableJson(plan.rules) ? given : null
    const sourceIds = body.sourceIds === undefined ? undefined : sourceIdsOf(body.sourceIds)
    const version = await ctx.store.command('plans.update', { id: plan.id, name, description, rules: checked?.rules, note, sourceIds })
    if (version === 0) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No tracking plan with id "${plan.id}".`, 'id')
    if (checked) ctx.planValidators.put(plan.id, version, checked.compiled)
    return ctx.plans.get(plan.id)!
  })

  app.delete<{ Params: { id: string } }>('/api/plans/:id', async (request): Promise<{ deleted: TrackingPlan }> => {
    const plan = find(request.params.id)
    await ctx.store.command('plans.delete', { id: plan.id })
    return { deleted: plan }
  })

  app.get<{ Params: { id: string } }>('/api/plans/:id/versions', async (request): Promise<{ versions: PlanVersionSummary[] }> => ({ versions: ctx.plans.versions(find(request.params.id).id) }))

  app.get<{ Params: { id: string; v: string } }>('/api/plans/:id/versions/:v', async (request): Promise<PlanVersion> => findVersion(find(request.params.id), request.params.v, 'v'))

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string } }>('/api/plans/:id/diff', async (request): Promise<PlanDiff> => {
    const plan = find(request.params.id)
    // Default: what the latest change did.
    const from = findVersion(plan, request.query.from ?? String(Math.max(1, plan.version - 1)), 'from')
    const to = findVersion(plan, request.query.to ?? String(plan.version), 'to')
    return diffRules(plan.id, from, to)
  })

  app.get<{ Params: { id: string } }>('/api/plans/:id/export', async (request, reply): Promise<SegmentPlanFile> => {
    const plan = find(request.params.id)
    const file = `${plan.name.replace(/[^\w.-]+/g, '-').slice(0, 80) || 'plan'}.json`
    reply.header('content-disposition', `attachment; filename="${file}"`)
    return toSegmentFile(plan)
  })
}
