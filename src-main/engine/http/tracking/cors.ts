// CORS of the tracking surface: open to every origin, never with credentials, because any site may
// send events and nothing here returns stored data (DESIGN.md "Two HTTP surfaces").

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'

const DEFAULT_ALLOWED_HEADERS = 'Content-Type, Authorization, Content-Encoding, X-Retry-Count'

export function registerOpenCors(app: FastifyInstance, preflightPaths: readonly string[]): void {
  app.addHook('onRequest', async (_request, reply) => {
    reply.header('Access-Control-Allow-Origin', '*')
    // analytics.js honours Retry-After on a 429/503 only if it may read it.
    reply.header('Access-Control-Expose-Headers', 'Retry-After, X-RateLimit-Reset')
  })
  for (const path of preflightPaths) app.options(path, preflight)
}

async function preflight(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const requested = request.headers['access-control-request-headers']
  reply
    .header('Access-Control-Allow-Methods', 'GET, POST, OPTIONS')
    .header('Access-Control-Allow-Headers', typeof requested === 'string' && /^[\w\-, ]{1,500}$/.test(requested) ? requested : DEFAULT_ALLOWED_HEADERS)
    .header('Access-Control-Max-Age', '86400')
    .header('Vary', 'Access-Control-Request-Headers')
  // Chrome's local-network-access preflight for pages on public origins posting to loopback.
  if (request.headers['access-control-request-private-network'] === 'true') {
    reply.header('Access-Control-Allow-Private-Network', 'true')
  }
  reply.code(204).send()
}
