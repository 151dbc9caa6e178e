import type { FastifyInstance } from 'fastify'
import type { CaptureState, Stats } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { databaseBytes } from '../../store/db-size'

export function registerStatusRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get('/api/stats', async (): Promise<Stats> => {
    const sources = ctx.sources.list()
    const last = sources.reduce<string | null>((latest, s) => (s.lastSeenAt && (!latest || s.lastSeenAt > latest) ? s.lastSeenAt : latest), null)
    const urls = ctx.urls()
    return {
      version: ctx.version,
      uptimeSeconds: Math.round((Date.now() - ctx.startedAt) / 1000),
      listening: { trackingUrl: urls.trackingUrl, adminUrl: urls.adminUrl },
      events: {
        total: sources.reduce((sum, s) => sum + s.eventCount, 0),
        perSecond: ctx.rate.perSecond(),
        lastReceivedAt: last
      },
      sources: sources.length,
      db: { path: ctx.dbPath, bytes: databaseBytes(ctx.dbPath) },
      searchIndex: { pending: ctx.search.pending() },
      capture: { paused: ctx.capture.paused }
    }
  })

  app.get('/api/capture', async (): Promise<CaptureState> => ({ paused: ctx.capture.paused }))

  app.put('/api/capture', async (request): Promise<CaptureState> => {
    const body = request.body as Partial<CaptureState> | null
    if (typeof body !== 'object' || body === null || typeof body.paused !== 'boolean') {
      throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'Send {"paused": true} or {"paused": false}.', 'paused')
    }
    ctx.capture.paused = body.paused
    return { paused: ctx.capture.paused }
  })
}
