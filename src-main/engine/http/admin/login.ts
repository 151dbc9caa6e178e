// GET /login?token=…[&next=/path]: the URL `loupe serve` prints. It trades the token for an HttpOnly
// SameSite=Strict session cookie and redirects to the UI (or to `next`, a path on this origin only, so a
// shared link survives the login and the redirect can never leave Loupe), so the token leaves the address
// bar and browser history.
// GET /api/session answers whether the caller has a session (and nothing else), so the UI can tell "log
// in" from "logged in" without provoking a 401.

import type { FastifyInstance } from 'fastify'
import { ApiError } from '../../errors'
import { secretsEqual, sessionValue } from '../../token'
import type { SessionState } from '../../../../src-shared/api'
import { SESSION_COOKIE, checkHost, checkOrigin, isAuthenticated, type AdminGuardOptions } from './security'

export function registerLogin(app: FastifyInstance, guard: AdminGuardOptions): void {
  app.get('/login', async (request, reply) => {
    checkHost(request, guard.allowedHosts)
    checkOrigin(request)
    const { token, next } = request.query as Record<string, unknown>
    if (typeof token !== 'string' || !secretsEqual(token, guard.token)) {
      throw new ApiError(401, 'ERR_ADMIN_UNAUTHORIZED', 'This login link is not valid; use the one `loupe serve` printed.', 'token')
    }
    const secure = request.protocol === 'https' ? '; Secure' : ''
    reply
      .header('Set-Cookie', `${SESSION_COOKIE}=${sessionValue(guard.token, guard.bootNonce)}; HttpOnly; SameSite=Strict; Path=/${secure}`)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .redirect(safeNext(next), 303)
  })

  app.get('/api/session', async (request): Promise<SessionState> => {
    checkHost(request, guard.allowedHosts)
    checkOrigin(request)
    return { authenticated: isAuthenticated(request, guard) }
  })
}

/** Only a path of this origin: "/events?q=x" yes; "//evil.example", "https://…", "/\\evil" no. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !/^\/(?![/\\])[\x21-\x7e]*$/.test(next) || next.length > 2000) return '/'
  return next
}
