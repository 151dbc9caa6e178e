// GET /login?token=…: the URL `loupe serve` prints. It trades the token for an HttpOnly SameSite=Strict
// session cookie and redirects to the UI, so the token leaves the address bar and browser history.

import type { FastifyInstance } from 'fastify'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { secretsEqual, sessionValue } from '../../token'
import { SESSION_COOKIE, checkHost, checkOrigin, type AdminGuardOptions } from './security'

export function registerLogin(app: FastifyInstance, ctx: EngineContext, guard: AdminGuardOptions): void {
  app.get('/login', async (request, reply) => {
    checkHost(request, guard.allowedHosts)
    checkOrigin(request)
    const token = (request.query as Record<string, unknown>).token
    if (typeof token !== 'string' || !secretsEqual(token, ctx.token)) {
      throw new ApiError(401, 'ERR_ADMIN_UNAUTHORIZED', 'This login link is not valid; use the one `loupe serve` printed.', 'token')
    }
    const secure = request.protocol === 'https' ? '; Secure' : ''
    reply
      .header('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(ctx.token)}; HttpOnly; SameSite=Strict; Path=/; Max-Age=31536000${secure}`)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .redirect('/', 303)
  })
}
