// The admin surface: /api/* (and the SSE stream), behind the guards of ./security.ts. No CORS.

import { registerPrivacyRoutes } from './privacy-routes'
import { registerIdentityRoutes } from './identity-routes'
import { registerComputationRoutes } from './computations-routes'
import { registerWarehouseRoutes } from './warehouse-routes'
import { registerEnforcementRoutes } from './enforcement-routes'
import type { FastifyInstance } from 'fastify'
import type { EngineContext } from '../../context'
import { registerLiveRoute, type LiveStreams } from '../live'
import { registerBackupRoutes } from './backup-routes'
import { registerDeliveryRoutes } from './delivery-routes'
import { registerCatalogueRoutes } from './catalogue-routes'
import { registerDestinationRoutes } from './destinations-routes'
import { registerEventRoutes } from './events-routes'
import { registerFaultRoutes } from './faults-routes'
import { registerPlanRoutes } from './plans-routes'
import { registerQaRoutes } from './qa-routes'
import { registerReplayRoutes } from './replays-routes'
import { registerSchemaRoutes } from './schema-routes'
import { registerSessionRoutes } from './sessions-routes'
import { adminGuard, type AdminGuardOptions } from './security'
import { registerSourceRoutes } from './sources-routes'
import { registerStatusRoutes } from './status-routes'

export async function adminPlugin(app: FastifyInstance, ctx: EngineContext, guard: AdminGuardOptions, onLive: (streams: LiveStreams) => void): Promise<void> {
  app.addHook('onRequest', adminGuard(guard))
  // An action without options (`curl -X POST -H 'Content-Type: application/json' …/retry-now`) may send no
  // body at all; anything sent is parsed as fastify does by default (prototype poisoning refused).
  const json = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => (body === '' ? done(null, undefined) : json(request, body as string, done)))
  // Preflights reach the guard (which refuses them) instead of a 404.
  app.options('/api/*', async () => undefined)
  registerEventRoutes(app, ctx)
  registerSourceRoutes(app, ctx)
  registerDestinationRoutes(app, ctx)
  registerCatalogueRoutes(app)
  registerDeliveryRoutes(app, ctx)
  registerReplayRoutes(app, ctx)
  registerStatusRoutes(app, ctx)
  registerQaRoutes(app, ctx)
  registerBackupRoutes(app, ctx)
  registerSessionRoutes(app, ctx)
  registerFaultRoutes(app, ctx)
  registerPlanRoutes(app, ctx)
  registerSchemaRoutes(app, ctx)
  registerEnforcementRoutes(app, ctx)
  registerWarehouseRoutes(app, ctx)
  registerPrivacyRoutes(app, ctx)
  registerIdentityRoutes(app, ctx)
  registerComputationRoutes(app, ctx)
  onLive(registerLiveRoute(app, ctx))
}
