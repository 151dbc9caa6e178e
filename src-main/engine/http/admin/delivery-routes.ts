// Operations on a destination's delivery: send a test event, retry now, retry or discard failed events,
// delivery metrics, and the filter preview (what the given filters would let through of recent events).

import { readDestinationPrivacy } from '../../privacy/settings-validation'
import { DEFAULT_DESTINATION_PRIVACY } from '../../../../src-shared/privacy'
import type { FastifyInstance } from 'fastify'
import type { DeliveryMetrics, FilterPreviewResult, ReplayJob, TestDeliveryResult } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import type { SegmentEvent } from '../../destinations/driver'
import { ApiError } from '../../errors'
import { DeliveryRules } from '../../routing/delivery-rules'
import { classify } from '../../routing/retry-policy'
import type { DestinationRow } from '../../store/destinations'
import { invalid } from './destination-settings'
import { validateConsentCategories, validateFilters } from './filter-validation'
import { testEvent } from './test-event'

export function findDestination(ctx: EngineContext, raw: string): DestinationRow {
  const row = /^\d{1,15}$/.test(raw) ? ctx.destinations.get(Number(raw)) : null
  if (!row) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No destination with id "${raw}".`, 'id')
  return row
}

export function registerDeliveryRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const workerOf = (destination: DestinationRow) => {
    const worker = ctx.router.worker(destination.id)
    if (!worker) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'The destination is not running yet; try again in a moment.', 'id')
    return worker
  }

  app.post<{ Params: { id: string } }>('/api/destinations/:id/test', async (request): Promise<TestDeliveryResult> => {
    const destination = findDestination(ctx, request.params.id)
    const body = (request.body ?? {}) as { event?: unknown }
    if (body.event !== undefined && (typeof body.event !== 'object' || body.event === null || Array.isArray(body.event))) invalid('event', 'event must be a JSON object')
    const event = testEvent(body.event as SegmentEvent | undefined)
    const worker = workerOf(destination)
    const sourceId = destination.sourceIds[0] ?? 0
    const prepared = worker.rules.prepareEvent(event, sourceId)
    const started = Date.now()
    // Like Segment's event tester, the test event is sent even when a filter would drop it; the answer says so.
    const sent = prepared.event ?? event
    const result = await worker.driver.send([sent], AbortSignal.timeout(30_000), [sourceId])
    return {
      ok: classify(result).kind === 'delivered' && (result.eventFailures ?? []).length === 0,
      httpStatus: result.status,
      error: result.error ?? result.eventFailures?.[0]?.reason ?? null,
      durationMs: Date.now() - started,
      // Method and URL with the body where the driver can say them (its delivery-log sample is the body alone).
      request: (await worker.driver.describe?.([sent], [sourceId])) ?? result.requestSample,
      response: result.responseSample,
      filteredReason: prepared.filtered
    }
  })

  app.post<{ Params: { id: string } }>('/api/destinations/:id/retry-now', async (request) => {
    const destination = findDestination(ctx, request.params.id)
    ctx.router.retryNow(destination.id)
    return { retried: true, status: ctx.router.status(destination.id) }
  })

  app.post<{ Params: { id: string } }>('/api/destinations/:id/retry-failed', async (request, reply): Promise<ReplayJob> => {
    const destination = findDestination(ctx, request.params.id)
    const failed = ctx.destinations.pendingFailures(destination.id)
    if (failed.count === 0) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'This destination has no failed events to retry.', 'id')
    if (ctx.replays.retryingFailed(destination.id)) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'A retry of this destination’s failed events is already running or paused.', 'id')
    reply.code(201)
    return ctx.replays.create(destination.id, { sourceIds: destination.sourceIds, failedOnly: true }, { lowId: 0, highId: failed.maxEventId }, failed.count)
  })

  app.post<{ Params: { id: string } }>('/api/destinations/:id/discard-failed', async (request): Promise<{ discarded: number }> => {
    const destination = findDestination(ctx, request.params.id)
    const body = (request.body ?? {}) as { eventIds?: unknown }
    let eventIds: number[] | null = null
    if (body.eventIds !== undefined) {
      if (!Array.isArray(body.eventIds) || !body.eventIds.every((id) => typeof id === 'string' && /^\d{1,15}$/.test(id))) invalid('eventIds', 'eventIds must be an array of event ids')
      eventIds = (body.eventIds as string[]).map(Number)
    }
    return { discarded: await ctx.store.command('deliveries.discardFailures', { destinationId: destination.id, eventIds }) }
  })

  app.get<{ Params: { id: string }; Querystring: { since?: string; bucket?: string } }>('/api/destinations/:id/metrics', async (request): Promise<DeliveryMetrics> => {
    const destination = findDestination(ctx, request.params.id)
    const since = request.query.since === undefined ? Date.now() - 3_600_000 : Date.parse(request.query.since)
    if (Number.isNaN(since)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'since must be an ISO-8601 time', 'since')
    const bucketMs = request.query.bucket === undefined ? 60_000 : Number(request.query.bucket)
    if (!Number.isInteger(bucketMs) || bucketMs < 1000 || bucketMs > 86_400_000) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'bucket must be milliseconds from 1000 to 86400000', 'bucket')
    const buckets = ctx.destinations.metrics(destination.id, since, bucketMs)
    return { bucketMs, buckets: buckets.map((b) => ({ ...b, at: new Date(b.at).toISOString() })) }
  })

  app.post('/api/destinations/filters/preview', async (request): Promise<FilterPreviewResult> => {
    const body = (request.body ?? {}) as Record<string, unknown>
    if (!Array.isArray(body.sourceIds) || !body.sourceIds.every((id) => Number.isInteger(id))) invalid('sourceIds', 'sourceIds must be an array of source ids')
    const limit = body.limit === undefined ? 50 : body.limit
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > 500) invalid('limit', 'limit must be a whole number from 1 to 500')
    // With the destination's privacy controls (a saved one's, or those given), the preview shows what would
    // really leave: masked, hashed or dropped.
    const saved = typeof body.destinationId === 'number' ? ctx.destinations.get(body.destinationId) : null
    const privacy = body.privacy !== undefined ? readDestinationPrivacy(body.privacy, DEFAULT_DESTINATION_PRIVACY, invalid) : saved?.privacy
    const rules = new DeliveryRules(
      { filters: validateFilters(body.filters ?? []), consentCategories: body.consentCategories === undefined ? [] : validateConsentCategories(body.consentCategories), privacy, policy: ctx.privacy },
      []
    )
    const rows = ctx.destinations.recentEvents(body.sourceIds as number[], limit)
    return {
      events: rows.map((row) => {
        const prepared = rules.prepare(row)
        return { id: String(row.id), summary: ctx.queries.get(row.id)!, passes: prepared.event !== null, reason: prepared.filtered, delivered: prepared.event }
      })
    }
  })
}
