// /api/faults: fault-injection rules of the tracking surface (faults/), the injected-failure counts and the
// ring of the last injected failures.

import type { FastifyInstance } from 'fastify'
import type { FaultRule, FaultsState } from '../../../../src-shared/faults'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { faultsOf, TooManyRulesError } from '../../faults/injector'
import { parseCreate, parseUpdate } from '../../faults/validate'

export function registerFaultRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const faults = faultsOf(ctx)
  // Rules of deleted sources go when the rules are next looked at.
  const prune = (): void => {
    for (const rule of faults.state().rules) if (ctx.sources.get(rule.sourceId) === null) faults.forgetSource(rule.sourceId)
  }

  app.get<{ Querystring: { sourceId?: string } }>('/api/faults', async (request): Promise<FaultsState> => {
    prune()
    const raw = request.query.sourceId
    if (raw === undefined) return faults.state()
    if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'sourceId must be a source id (a whole number).', 'sourceId')
    return faults.state(Number(raw))
  })

  app.post('/api/faults', async (request, reply): Promise<FaultRule> => {
    const settings = parseCreate(request.body)
    if (ctx.sources.get(settings.sourceId) === null) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `No source with id ${settings.sourceId}.`, 'sourceId')
    try {
      const rule = faults.create(settings)
      reply.code(201)
      return rule
    } catch (error) {
      if (error instanceof TooManyRulesError) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', error.message, 'sourceId')
      throw error
    }
  })

  app.patch<{ Params: { id: string } }>('/api/faults/:id', async (request): Promise<FaultRule> => {
    const id = ruleId(request.params.id)
    const current = found(faults.get(id), request.params.id)
    const { settings, resetInjected } = parseUpdate(request.body, current)
    return found(faults.update(id, settings, resetInjected), request.params.id)
  })

  app.delete<{ Params: { id: string } }>('/api/faults/:id', async (request): Promise<{ deleted: FaultRule }> => {
    return { deleted: found(faults.remove(ruleId(request.params.id)), request.params.id) }
  })
}

function ruleId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No fault rule with id "${raw}".`, 'id')
  return Number(raw)
}

function found<T>(value: T | null, id: string): T {
  if (value === null) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No fault rule with id "${id}".`, 'id')
  return value
}
