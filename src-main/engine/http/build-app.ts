// The fastify app without listen(): the tracking surface and the admin surface as two encapsulated
// plugins with their own hooks (DESIGN.md "Two HTTP surfaces"), one error format for both.

import Fastify, { type FastifyError, type FastifyInstance } from 'fastify'
import type { ApiErrorBody } from '../../../src-shared/errors'
import type { EngineContext } from '../context'
import { ApiError } from '../errors'
import { StoreRejectedError, StoreUnavailableError } from '../store/store-thread'
import { registerLogin } from './admin/login'
import { adminPlugin } from './admin/plugin'
import { allowedHostSet } from './admin/security'
import type { LiveStreams } from './live'
import { newBootNonce } from '../token'
import { trackingPlugin } from './tracking/plugin'
import { defaultRendererDir, registerUi, type Ui } from './ui'

export interface BuiltApp {
  app: FastifyInstance
  live: LiveStreams
}

export function buildApp(ctx: EngineContext, log: (message: string) => void = () => {}): BuiltApp {
  // While closing, requests on open connections are still served (and committed): fastify's own 503
  // would break the error format and carries no Retry-After.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, return503OnClosing: false })
  // The address Loupe was told to bind is a name its own printed URLs use, so it is allowed too.
  const boundHost = ['0.0.0.0', '::'].includes(ctx.config.host) ? [] : [ctx.config.host]
  const guard = { token: ctx.token, bootNonce: newBootNonce(), allowedHosts: allowedHostSet([...ctx.config.allowedHosts, ...boundHost]) }
  let live: LiveStreams = { closeAll() {} }

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const answer = toApiError(error, request.url.startsWith('/api/'))
    // Unexpected failures and an unavailable store are worth a line in the log; a paused capture is not.
    if (answer.status >= 500 && answer.code !== 'ERR_CAPTURE_PAUSED') log(`${request.method} ${request.url}: ${error.stack ?? error.message}`)
    if (error instanceof StoreUnavailableError) reply.header('Retry-After', '5')
    reply.code(answer.status).send(answer.toBody())
  })
  let ui: Ui | null = null
  app.setNotFoundHandler((request, reply) => {
    if (ui?.servePage(request, reply)) return
    const body: ApiErrorBody = { error: { code: 'ERR_NOT_FOUND', message: `No route ${request.method} ${request.url.split('?')[0]}` } }
    reply.code(404).send(body)
  })

  app.get('/health', async () => ({ status: 'ok' as const }))
  app.register(async (instance) => trackingPlugin(instance, ctx))
  app.register(async (instance) => adminPlugin(instance, ctx, guard, (streams) => (live = streams)))
  app.register(async (instance) => registerLogin(instance, guard))
  app.register(async (instance) => {
    ui = registerUi(instance, ctx.config.rendererDir ?? defaultRendererDir(), guard)
  })
  return {
    app,
    live: { closeAll: () => live.closeAll() }
  }
}

function toApiError(error: FastifyError, admin: boolean): ApiError {
  if (error instanceof ApiError) return error
  if (error instanceof StoreUnavailableError) {
    return new ApiError(503, 'ERR_STORE_UNAVAILABLE', `${error.message}. Retry later.`)
  }
  if (error instanceof StoreRejectedError) return new ApiError(400, 'ERR_STORE_REJECTED', error.message)
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new ApiError(413, 'ERR_LIMIT_REQUEST_TOO_LARGE', 'The request body is larger than the request limit (--max-request-bytes).', 'maxRequestBytes')
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new ApiError(415, 'ERR_ADMIN_JSON_REQUIRED', 'The admin API accepts only application/json bodies.', 'Content-Type')
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new ApiError(error.statusCode, admin ? 'ERR_ADMIN_INVALID_BODY' : 'ERR_BAD_REQUEST', error.message)
  }
  return new ApiError(500, 'ERR_INTERNAL', 'Loupe hit an internal error; details are in its log.')
}
