// Replay: choose stored events (sources, time range, optional FQL) and a destination; a dry run shows the
// exact requests for the first events, a real run is a job with progress, pause, resume and cancel.

import type { FastifyInstance } from 'fastify'
import type { CreateReplayRequest, ReplayDryRun, ReplayJob } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { FqlSyntaxError, parseFql } from '../../routing/fql'
import { ReplayRunner } from '../../routing/replay'
import { invalid } from './destination-settings'
import { findDestination } from './delivery-routes'
import { timeRange } from './time-range'

/** Events a dry run or a count examines at most (beyond, a job's total grows as it goes). */
const COUNT_SCAN = 200_000

export function registerReplayRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const findJob = (raw: string): ReplayJob => {
    const job = /^\d{1,15}$/.test(raw) ? ctx.replayReads.view(Number(raw)) : null
    if (!job) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No replay with id "${raw}".`, 'id')
    return job
  }

  app.get<{ Querystring: { destinationId?: string } }>('/api/replays', async (request): Promise<{ replays: ReplayJob[] }> => {
    const id = request.query.destinationId
    if (id !== undefined && !/^\d{1,15}$/.test(id)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'destinationId must be a destination id', 'destinationId')
    return { replays: ctx.replayReads.list(id === undefined ? undefined : Number(id)) }
  })

  app.get<{ Params: { id: string } }>('/api/replays/:id', async (request): Promise<ReplayJob> => findJob(request.params.id))

  app.post('/api/replays', async (request, reply): Promise<ReplayJob | ReplayDryRun> => {
    const body = (request.body ?? {}) as Partial<CreateReplayRequest> & Record<string, unknown>
    const unknown = Object.keys(body).find((k) => !['destinationId', 'sourceIds', 'from', 'to', 'where', 'dryRun', 'dryRunLimit'].includes(k))
    if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
    if (typeof body.destinationId !== 'number') invalid('destinationId', 'destinationId must be a destination id')
    const destination = findDestination(ctx, String(body.destinationId))
    const sourceIds = body.sourceIds ?? destination.sourceIds
    if (!Array.isArray(sourceIds) || sourceIds.length === 0 || !sourceIds.every((id) => Number.isInteger(id) && ctx.sources.get(id))) invalid('sourceIds', 'sourceIds must list existing sources (default: the destination’s connected sources, which are none)')
    const range = timeRange(body)
    const from = range.from ?? null
    const to = range.to ?? null
    let where = null
    if (body.where !== undefined && body.where !== '') {
      if (typeof body.where !== 'string') invalid('where', 'where must be an FQL string')
      try {
        where = parseFql(body.where)
      } catch (error) {
        if (error instanceof FqlSyntaxError) invalid('where', `where: ${error.message}`)
        throw error
      }
    }
    const worker = ctx.router.worker(destination.id)
    if (!worker) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', 'The destination is not running yet; try again in a moment.', 'destinationId')

    // The selection's id range: time bounds map to ids (store/time-bounds.ts), the top is fixed now.
    const highId = to === null ? ctx.replayReads.maxEventId() : Math.max(0, ctx.queries.idBelow(to))
    const lowId = from === null ? 0 : Math.max(0, ctx.queries.idAtOrAfter(from) - 1)
    let matched = 0
    const firstRows = []
    const dryRunLimit = body.dryRunLimit ?? 10
    if (typeof dryRunLimit !== 'number' || !Number.isInteger(dryRunLimit) || dryRunLimit < 1 || dryRunLimit > 100) invalid('dryRunLimit', 'dryRunLimit must be a whole number from 1 to 100')
    for (let cursor = lowId, scanned = 0; scanned < COUNT_SCAN; ) {
      // In slices, yielding between them: counting must not hold up ingest on the same thread.
      if (scanned > 0) await new Promise((resolve) => setImmediate(resolve))
      const rows = ctx.replayReads.scan(sourceIds, cursor, highId, 5000)
      if (rows.length === 0) break
      const kept = ReplayRunner.select(rows, where, from, to)
      matched += kept.length
      if (firstRows.length < dryRunLimit) firstRows.push(...kept.slice(0, dryRunLimit - firstRows.length))
      scanned += rows.length
      cursor = rows[rows.length - 1]!.id
    }

    if (body.dryRun === true) {
      // The requests as the replay would make them: filtered events on their own, the rest in the driver's batches.
      const requests: ReplayDryRun['requests'] = []
      let batch: { id: number; sourceId: number; event: Record<string, unknown> }[] = []
      const flush = async () => {
        if (batch.length === 0) return
        const flushed = batch
        batch = []
        const events = flushed.map((e) => e.event)
        const request = (await worker.driver.describe?.(events, flushed.map((e) => e.sourceId))) ?? JSON.stringify(events.length === 1 ? events[0] : events, null, 2)
        requests.push({ events: flushed.map((e) => String(e.id)), request, filteredReason: null })
      }
      for (const row of firstRows) {
        const prepared = worker.rules.prepare(row, 'replay')
        if (!prepared.event) requests.push({ events: [String(row.id)], request: '', filteredReason: prepared.filtered })
        else if (batch.push({ id: row.id, sourceId: row.source_id, event: prepared.event }) >= worker.driver.batchSize) await flush()
      }
      await flush()
      return { dryRun: true, matched, requests }
    }
    if (body.dryRun !== undefined && body.dryRun !== false) invalid('dryRun', 'dryRun must be true or false')
    reply.code(201)
    const selection = { sourceIds, ...(body.from ? { from: body.from } : {}), ...(body.to ? { to: body.to } : {}), ...(where ? { where: body.where as string } : {}) }
    return ctx.replays.create(destination.id, selection, { lowId, highId }, matched)
  })

  for (const [action, state] of [['pause', 'paused'], ['resume', 'running'], ['cancel', 'cancelled']] as const) {
    app.post<{ Params: { id: string } }>(`/api/replays/:id/${action}`, async (request): Promise<ReplayJob> => {
      const job = findJob(request.params.id)
      const allowed = action === 'resume' ? job.state === 'paused' : job.state === 'running' || job.state === 'paused'
      if (!allowed) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', `A ${job.state} replay cannot be ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}.`, 'id')
      return ctx.replays.setState(job.id, state)
    })
  }
}
