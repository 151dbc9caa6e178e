// Guards of the admin surface (/api/*, /login, the UI and SSE).
//
// Threat model: the admin surface returns and changes everything Loupe stores. It listens on loopback,
// but loopback is reachable by (1) any web page the user visits, through the browser: blind CSRF with
// "simple" requests (text/plain or form POSTs need no preflight), and DNS rebinding (a page on
// attacker.example re-pointed to 127.0.0.1, so its requests are "same-origin" to the browser);
// (2) other local processes and users. Defences, in order:
//  - Host allow-list: a rebinding page's requests carry Host: attacker.example → 403.
//  - Origin check: a browser request from any other origin → 403 (no CORS at all; preflights → 403).
//  - Token: bearer header, or the HttpOnly SameSite=Strict session cookie set by /login → else 401.
//    Cookies are not port-isolated: other local servers on localhost/127.0.0.1 receive the cookie, and
//    SameSite does not separate localhost:3000 from localhost:7420. So the cookie is a browser-session
//    cookie derived from a per-start nonce (it dies with the engine or the browser), it is never the
//    token, and it alone never passes the Origin check for a cross-origin write.
//  - JSON-only writes: a body that is not application/json → 415, so no "simple" request can write.

import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../errors'
import { secretsEqual, sessionValue } from '../../token'

export const SESSION_COOKIE = 'loupe_session'

export interface AdminGuardOptions {
  token: string
  /** Drawn at each start: sessions (cookies) end with the engine. */
  bootNonce: string
  /** Host names (no port) the admin surface answers to. */
  allowedHosts: ReadonlySet<string>
}

export const LOOPBACK_NAMES: readonly string[] = ['localhost', '127.0.0.1', '::1']

export function allowedHostSet(extra: readonly string[]): Set<string> {
  return new Set([...LOOPBACK_NAMES, ...extra.map((h) => h.toLowerCase())])
}

/** `127.0.0.1:7420` → `127.0.0.1`, `[::1]:7420` → `::1`; null if unreadable. */
export function hostName(hostHeader: string | undefined): string | null {
  if (!hostHeader) return null
  try {
    return new URL(`http://${hostHeader}`).hostname.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  } catch {
    return null
  }
}

export function checkHost(request: FastifyRequest, allowed: ReadonlySet<string>): void {
  const name = hostName(request.headers.host)
  if (name === null || !allowed.has(name)) {
    throw new ApiError(403, 'ERR_ADMIN_FORBIDDEN_HOST', `Host "${request.headers.host ?? ''}" is not allowed for the admin API; start Loupe with --allowed-host to add one.`, 'Host')
  }
}

/** A browser request must come from this very origin; requests without Origin (CLI, curl) pass on. */
export function checkOrigin(request: FastifyRequest): void {
  const origin = request.headers.origin
  if (origin === undefined) return
  let sameOrigin = false
  try {
    const url = new URL(origin)
    sameOrigin = (url.protocol === 'http:' || url.protocol === 'https:') && url.host === request.headers.host
  } catch {
    sameOrigin = false // "null" and other opaque origins
  }
  if (!sameOrigin) throw new ApiError(403, 'ERR_ADMIN_FORBIDDEN_ORIGIN', `Requests from origin "${origin}" are not allowed.`, 'Origin')
}

export function isAuthenticated(request: FastifyRequest, guard: Pick<AdminGuardOptions, 'token' | 'bootNonce'>): boolean {
  const auth = request.headers.authorization
  if (auth?.startsWith('Bearer ')) return secretsEqual(auth.slice(7).trim(), guard.token)
  const cookie = readCookie(request.headers.cookie, SESSION_COOKIE)
  return cookie !== null && secretsEqual(cookie, sessionValue(guard.token, guard.bootNonce))
}

export function checkJsonWrite(request: FastifyRequest): void {
  if (request.method === 'GET' || request.method === 'HEAD') return
  const type = request.headers['content-type']
  const hasBody = type !== undefined || Number(request.headers['content-length'] ?? 0) > 0 || request.headers['transfer-encoding'] !== undefined
  // An NDJSON upload (POST /api/import) may say what it is: neither type is one a cross-site form can send
  // without a preflight, which the guard refuses, so the CSRF defence of "JSON only" holds for them too.
  const upload = request.method === 'POST' && request.url.split('?')[0] === '/api/import' && /^application\/(x-ndjson|gzip)\s*(;|$)/i.test(type ?? '')
  if (hasBody && !upload && !/^application\/json\s*(;|$)/i.test(type ?? '')) {
    throw new ApiError(415, 'ERR_ADMIN_JSON_REQUIRED', 'The admin API accepts only application/json bodies.', 'Content-Type')
  }
}

/** The onRequest hook of the admin context. */
export function adminGuard(options: AdminGuardOptions) {
  return async function guard(request: FastifyRequest, reply: FastifyReply): Promise<void> {
    checkHost(request, options.allowedHosts)
    checkOrigin(request)
    if (request.method === 'OPTIONS') {
      throw new ApiError(403, 'ERR_ADMIN_CORS_FORBIDDEN', 'The admin API does not allow cross-origin requests.')
    }
    if (!isAuthenticated(request, options)) {
      reply.header('WWW-Authenticate', 'Bearer realm="loupe"')
      throw new ApiError(401, 'ERR_ADMIN_UNAUTHORIZED', 'Send the admin token as "Authorization: Bearer <token>" (printed by `loupe serve`, stored in the data dir) or open the UI login URL.')
    }
    checkJsonWrite(request)
  }
}

export function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null
  for (const part of header.split(';')) {
    const eq = part.indexOf('=')
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim()
  }
  return null
}
