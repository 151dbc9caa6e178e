// Validation at ingest, admin side (issue #5): a source's enforcement settings, releasing its quarantined
// events (one release job per connected destination), and the Violations report.
// Threat model: behind the admin surface's token, Host and Origin checks (security.ts), but every field is
// still checked and named on refusal; lists are bounded (blocked names, event ids), so a caller cannot grow
// the settings or a release without end. Reports read event data and return it as JSON only.

import type { FastifyInstance } from 'fastify'
import type { ReleaseQuarantineResult, SourceEnforcement, ViolationsRange, ViolationsReport } from '../../../../src-shared/enforcement'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { readEnforcementChange } from '../../protocols/enforcement-settings'
import { ViolationReads } from '../../store/violations'
import { invalid } from './destination-settings'

const RANGES: Record<ViolationsRange, { ms: number; bucketMs: number }> = {
  '1h': { ms: 3_600_000, bucketMs: 300_000 },
  '24h': { ms: 86_400_000, bucketMs: 3_600_000 },
  '7d': { ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000 }
}

export function registerEnforcementRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const violations = new ViolationReads(ctx.db)
  const sourceOf = (raw: string): number => {
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN
    if (!ctx.sources.get(id)) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${raw}".`, 'id')
    return id
  }

  app.get<{ Params: { id: string } }>('/api/sources/:id/enforcement', async (request): Promise<SourceEnforcement> => ctx.validation.enforcement(sourceOf(request.params.id))!)

  // Read, change, write: one save at a time, so two saves (the Schema panel's Block and the form) never lose one.
  let saving: Promise<unknown> = Promise.resolve()
  app.put<{ Params: { id: string } }>('/api/sources/:id/enforcement', async (request): Promise<SourceEnforcement> => {
    const turn = saving.then(() => save(request.params.id, request.body))
    saving = turn.catch(() => undefined)
    return turn
  })
  const save = async (id: string, body: unknown): Promise<SourceEnforcement> => {
    const sourceId = sourceOf(id)
    if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'The body must be a JSON object')
    const next = readEnforcementChange(body as Record<string, unknown>, ctx.validation.enforcement(sourceId)!, invalid, (value, field) => {
      if (value !== null && (!Number.isInteger(value) || !ctx.sources.get(value as number))) invalid(field, `forwardViolationsTo: no source with id ${JSON.stringify(value)}`)
      if (value === sourceId) invalid(field, 'forwardViolationsTo: a source cannot receive its own violations (pick another source)')
      return value as number | null
    })
    await ctx.store.command('sources.setEnforcement', { sourceId, enforcement: JSON.stringify(next) })
    return next
  }

  app.post<{ Params: { id: string } }>('/api/sources/:id/quarantine/release', async (request): Promise<ReleaseQuarantineResult> => {
    const sourceId = sourceOf(request.params.id)
    const body = (request.body ?? {}) as Record<string, unknown>
    if (typeof body !== 'object' || Array.isArray(body)) invalid('body', 'The body must be a JSON object')
    let eventIds: number[] | null = null
    let name: string | null = null
    for (const [key, value] of Object.entries(body)) {
      if (key === 'eventIds') {
        if (!Array.isArray(value) || value.length === 0 || value.length > 10_000) invalid(key, 'eventIds: must be a list of 1 to 10,000 event ids')
        eventIds = value.map((id, i) => {
          if (typeof id !== 'string' || !/^\d{1,15}$/.test(id)) invalid(`eventIds[${i}]`, `eventIds[${i}]: must be an event id`)
          return Number(id)
        })
      } else if (key === 'event') {
        if (typeof value !== 'string' || value.length === 0 || value.length > 200) invalid(key, 'event: must be an event name')
        name = value
      } else invalid(key, `Unknown field "${key}".`)
    }
    // Their cursors have moved past these events: each connected destination gets a job that sends exactly
    // them, created with the release in one transaction (a job left over by a crash resumes at next start).
    const release = await ctx.store.command('quarantine.release', { sourceId, name, eventIds })
    for (const { replayId } of release.replays) ctx.replays.resume(replayId)
    return release
  })

  app.get<{ Querystring: Record<string, string | undefined> }>('/api/violations', async (request): Promise<ViolationsReport> => {
    const { source, range = '24h', ...rest } = request.query
    const unknown = Object.keys(rest)[0]
    if (unknown !== undefined) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `unknown parameter "${unknown}"; parameters are source, range`, unknown)
    if (!(range in RANGES)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'range must be 1h, 24h or 7d', 'range')
    if (source !== undefined && source !== '' && !/^\d{1,15}$/.test(source)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'source must be a source id (a number)', 'source')
    const sourceId = source === undefined || source === '' ? null : sourceOf(source)
    const { ms, bucketMs } = RANGES[range as ViolationsRange]
    const to = Date.now()
    const from = to - ms
    const lowId = ctx.queries.idAtOrAfter(from)
    return {
      range: range as ViolationsRange,
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      bucketMs,
      eventsWithViolations: violations.eventsWithViolations(lowId, from, sourceId),
      quarantined: violations.held(sourceId),
      quarantineExpired: violations.heldExpired(sourceId),
      groups: violations.groups({ lowId, from, bucketMs, buckets: Math.ceil(ms / bucketMs), sourceId })
    }
  })
}
