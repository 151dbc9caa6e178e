import type { FastifyInstance } from 'fastify'
import type { AttemptOutcome, CreateDestinationRequest, DeliveryAttemptsPage, Destination, DestinationFilter, DestinationKind, EventDelivery, UpdateDestinationRequest } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import type { DestinationRow } from '../../store/destinations'
import { defaultLimits } from '../../../../src-shared/default-limits'
import { decodeCursor, encodeCursor } from '../../store/events-query'
import { findDestination } from './delivery-routes'
import { invalid, maskSettings, validateSettings } from './destination-settings'
import { readDestinationPrivacy } from '../../privacy/settings-validation'
import { DEFAULT_DESTINATION_PRIVACY } from '../../../../src-shared/privacy'
import { validateConsentCategories, validateFilters } from './filter-validation'
import { validateLimits } from './limits-validation'
import { pinSchemas, reachableSettings } from './warehouse-routes'

const KINDS: DestinationKind[] = ['webhook', 'segment', 'actions', 'file', 'warehouse']
const RULE_FIELDS = ['filters', 'consentCategories', 'limits']
const OUTCOMES: AttemptOutcome[] = ['delivered', 'retry', 'failed', 'filtered', 'expired']


export function registerDestinationRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const view = (row: DestinationRow): Destination => ({
    id: row.id,
    name: row.name,
    kind: row.kind,
    settings: maskSettings(row.kind, row.settings),
    enabled: row.enabled,
    sourceIds: row.sourceIds,
    filters: row.filters,
    consentCategories: row.consentCategories,
    limits: row.limits,
    privacy: row.privacy,
    createdAt: new Date(row.createdAt).toISOString(),
    status: row.enabled ? ctx.router.status(row.id) : { ...ctx.router.status(row.id), state: 'disabled' }
  })
  const find = (raw: string): DestinationRow => findDestination(ctx, raw)
  const sourceIds = (raw: unknown): number[] => {
    if (!Array.isArray(raw) || !raw.every((id) => Number.isInteger(id))) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'sourceIds must be an array of source ids.', 'sourceIds')
    for (const id of raw as number[]) if (!ctx.sources.get(id)) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `No source with id ${id}.`, 'sourceIds')
    return [...new Set(raw as number[])]
  }
  const name = (raw: unknown): string => {
    if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 200) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'name must be a non-empty string of at most 200 characters.', 'name')
    return raw.trim()
  }

  /** Filters as validated, with every source they name existing. */
  const filters = (raw: unknown): DestinationFilter[] => {
    const valid = validateFilters(raw)
    valid.forEach((filter, i) => {
      const missing = filter.sourceIds?.find((id) => !ctx.sources.get(id))
      if (missing !== undefined) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `filters[${i}].sourceIds: no source with id ${missing}.`, `filters[${i}].sourceIds`)
    })
    return valid
  }

  app.get('/api/destinations', async (): Promise<{ destinations: Destination[] }> => ({ destinations: ctx.destinations.list().map(view) }))

  app.get<{ Params: { id: string } }>('/api/destinations/:id', async (request): Promise<Destination> => view(find(request.params.id)))

  app.post('/api/destinations', async (request, reply): Promise<Destination> => {
    const body = (request.body ?? {}) as Partial<CreateDestinationRequest>
    if (!KINDS.includes(body.kind as DestinationKind)) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `kind must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}.`, 'kind')
    const unknown = Object.keys(body).filter((k) => !['name', 'kind', 'settings', 'enabled', 'sourceIds', 'privacy', ...RULE_FIELDS].includes(k))
    if (unknown.length > 0) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `Unknown field "${unknown[0]}".`, unknown[0])
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'enabled must be true or false.', 'enabled')
    const connected = body.sourceIds === undefined ? [] : sourceIds(body.sourceIds)
    const settings = pinSchemas(ctx, body.kind!, await reachableSettings(body.kind!, validateSettings(body.kind!, body.settings)), connected)
    const id = await ctx.store.command('destinations.create', {
      name: name(body.name),
      kind: body.kind!,
      settings: await ctx.secrets.seal(body.kind!, settings),
      enabled: body.enabled ?? true,
      sourceIds: connected,
      filters: body.filters === undefined ? [] : filters(body.filters),
      consentCategories: body.consentCategories === undefined ? [] : validateConsentCategories(body.consentCategories),
      limits: validateLimits(body.limits, defaultLimits(body.kind!)),
      privacy: body.privacy === undefined ? DEFAULT_DESTINATION_PRIVACY : readDestinationPrivacy(body.privacy, DEFAULT_DESTINATION_PRIVACY, invalid)
    })
    ctx.router.refresh(id)
    reply.code(201)
    return view(find(String(id)))
  })

  app.patch<{ Params: { id: string } }>('/api/destinations/:id', async (request): Promise<Destination> => {
    const current = find(request.params.id)
    const body = (request.body ?? {}) as UpdateDestinationRequest & Record<string, unknown>
    const unknown = Object.keys(body).filter((k) => !['name', 'settings', 'enabled', 'sourceIds', 'privacy', ...RULE_FIELDS].includes(k))
    if (unknown.length > 0) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `Unknown field "${unknown[0]}".`, unknown[0])
    if (body.enabled !== undefined && typeof body.enabled !== 'boolean') throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'enabled must be true or false.', 'enabled')
    const connected = body.sourceIds === undefined ? undefined : sourceIds(body.sourceIds)
    let settings = body.settings === undefined ? undefined : await reachableSettings(current.kind, validateSettings(current.kind, body.settings, current.settings))
    // A warehouse pins a schema for each newly connected source.
    if (current.kind === 'warehouse' && (settings !== undefined || connected !== undefined)) settings = pinSchemas(ctx, current.kind, settings ?? current.settings, connected ?? current.sourceIds)
    await ctx.store.command('destinations.update', {
      id: current.id,
      ...(body.name !== undefined ? { name: name(body.name) } : {}),
      ...(settings !== undefined ? { settings: await ctx.secrets.seal(current.kind, settings) } : {}),
      ...(body.enabled !== undefined ? { enabled: body.enabled } : {}),
      ...(connected !== undefined ? { sourceIds: connected } : {}),
      ...(body.filters !== undefined ? { filters: filters(body.filters) } : {}),
      ...(body.consentCategories !== undefined ? { consentCategories: validateConsentCategories(body.consentCategories) } : {}),
      ...(body.limits !== undefined ? { limits: validateLimits(body.limits, current.limits) } : {}),
      ...(body.privacy !== undefined ? { privacy: readDestinationPrivacy(body.privacy, current.privacy, invalid) } : {})
    })
    ctx.router.refresh(current.id)
    return view(find(request.params.id))
  })

  app.delete<{ Params: { id: string } }>('/api/destinations/:id', async (request): Promise<{ deleted: Destination }> => {
    const current = view(find(request.params.id))
    await ctx.store.command('destinations.delete', { id: current.id })
    ctx.router.refresh(current.id)
    return { deleted: current }
  })

  app.get<{ Params: { id: string }; Querystring: { limit?: string; cursor?: string; outcome?: string } }>('/api/destinations/:id/attempts', async (request): Promise<DeliveryAttemptsPage> => {
    const destination = find(request.params.id)
    const limit = request.query.limit === undefined ? 50 : Number(request.query.limit)
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'limit must be a number from 1 to 500', 'limit')
    const before = request.query.cursor ? decodeCursor(request.query.cursor) : null
    if (request.query.cursor && before === null) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'cursor is not one this API returned', 'cursor')
    const outcome = request.query.outcome as AttemptOutcome | undefined
    if (outcome !== undefined && !OUTCOMES.includes(outcome)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `outcome must be one of ${OUTCOMES.join(', ')}`, 'outcome')
    const attempts = ctx.destinations.attempts(destination.id, before, limit + 1, outcome)
    const page = attempts.slice(0, limit)
    return { attempts: page, nextCursor: attempts.length > limit ? encodeCursor(page[page.length - 1]!.id) : null }
  })

  app.get<{ Params: { id: string } }>('/api/events/:id/deliveries', async (request): Promise<{ deliveries: EventDelivery[] }> => {
    const { id } = request.params
    const event = /^\d{1,15}$/.test(id) ? ctx.queries.get(Number(id)) : null
    if (!event) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No event with id "${id}".`, 'id')
    return {
      deliveries: ctx.destinations.deliveriesOf({ id: Number(event.id), sourceId: event.sourceId }).map((delivery) => {
        if (delivery.status !== 'pending') return delivery
        // Waiting because the destination is backing off (or its circuit is open): say so, and why.
        const status = ctx.router.status(delivery.destinationId)
        if (status.state !== 'backoff' && status.state !== 'paused') return delivery
        const next = status.nextAttemptAt ? `; next attempt at ${status.nextAttemptAt}` : ''
        return { ...delivery, status: 'retrying', reason: `${status.lastError ?? 'the last attempt failed'}${next}` }
      })
    }
  })
}
