// Serves the built renderer (out/renderer) on the admin origin, so the UI is same-origin with /api and
// needs no CORS. The files are public code and carry no data, so they need no token — but the Host check
// still applies (a DNS-rebinding page must not even get a Loupe page), and the HTML goes out with a strict
// CSP: event payloads shown in it are attacker-controlled text.

import fastifyStatic from '@fastify/static'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { existsSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { checkHost, type AdminGuardOptions } from './admin/security'

export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; " +
  "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

/** Where the built renderer is: next to the bundle (out/main → out/renderer) or in a source checkout. */
export function defaultRendererDir(): string | null {
  for (const candidate of ['../renderer', '../../../out/renderer']) {
    const dir = fileURLToPath(new URL(candidate, import.meta.url))
    if (existsSync(join(dir, 'index.html'))) return dir
  }
  return null
}

/** Paths that are never UI pages, so unknown ones stay JSON 404s. */
const NOT_UI = /^\/(api|v1|b|analytics\.js|analytics-next|assets|login|health)(\/|$|\?)/

export interface Ui {
  /** For a GET of a single-page-app route (/live, /events?…), sends index.html; false if not a UI page. */
  servePage(request: FastifyRequest, reply: FastifyReply): boolean
}

export function registerUi(app: FastifyInstance, rendererDir: string | null, guard: AdminGuardOptions): Ui {
  // Read again when the file changes: a rebuild while Loupe runs replaces the hashed assets it names.
  let cached: { mtimeMs: number; html: Buffer } | null = null
  const indexHtml = (): Buffer | null => {
    if (!rendererDir) return null
    const file = join(rendererDir, 'index.html')
    try {
      const { mtimeMs } = statSync(file)
      // The build links its assets relatively (./assets/…); index.html is served at every UI path
      // (/events, /live/, /sources/1), where those would resolve inside the path: make them absolute.
      if (!cached || cached.mtimeMs !== mtimeMs) cached = { mtimeMs, html: Buffer.from(readFileSync(file, 'utf8').replaceAll('"./assets/', '"/assets/')) }
      return cached.html
    } catch {
      return null
    }
  }
  app.addHook('onRequest', async (request) => checkHost(request, guard.allowedHosts))
  if (rendererDir) {
    app.register(fastifyStatic, {
      root: join(rendererDir, 'assets'),
      prefix: '/assets/',
      // Looked up per request (not a route per file found at start), so a rebuild's new files are served.
      wildcard: true,
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.header('X-Content-Type-Options', 'nosniff')
    })
  }
  const sendIndex = (reply: FastifyReply): void => {
    const html = indexHtml()
    if (!html) {
      reply.code(503).type('text/plain; charset=utf-8').send('The Loupe UI is not built. Run `npm run build`, then reload.\n')
      return
    }
    securityHeaders(reply).header('Cache-Control', 'no-cache').type('text/html; charset=utf-8').send(html)
  }
  app.get('/', async (_request, reply) => sendIndex(reply))

  return {
    servePage(request, reply) {
      if (request.method !== 'GET' || NOT_UI.test(request.url) || !(request.headers.accept ?? '').includes('text/html')) return false
      checkHost(request, guard.allowedHosts)
      sendIndex(reply)
      return true
    }
  }
}

export function securityHeaders(reply: FastifyReply): FastifyReply {
  return reply
    .header('Content-Security-Policy', CONTENT_SECURITY_POLICY)
    .header('X-Content-Type-Options', 'nosniff')
    .header('X-Frame-Options', 'DENY')
    .header('Referrer-Policy', 'no-referrer')
    .header('Cross-Origin-Opener-Policy', 'same-origin')
}
