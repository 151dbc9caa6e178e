// CDN emulation, so the standard analytics.js snippet works pointed at Loupe: the settings document
// (points Segment.io at this server) and analytics.min.js plus its lazy chunks, served from the
// @segment/analytics-next package we depend on.

import type { FastifyInstance } from 'fastify'
import { readFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { ApiError } from '../../errors'

const umdDir = join(dirname(createRequire(import.meta.url).resolve('@segment/analytics-next/package.json')), 'dist', 'umd')
const cache = new Map<string, Buffer>()
const CHUNK_NAME = /^[\w.-]+\.js$/

async function asset(name: string): Promise<Buffer> {
  let body = cache.get(name)
  if (!body) {
    body = await readFile(join(umdDir, name))
    cache.set(name, body)
  }
  return body
}

export function registerCdn(app: FastifyInstance): void {
  app.get<{ Params: { writeKey: string } }>('/v1/projects/:writeKey/settings', async (request, reply) => {
    const host = request.headers.host ?? '127.0.0.1'
    reply.header('Cache-Control', 'no-store')
    return {
      integrations: {
        'Segment.io': { apiKey: request.params.writeKey, apiHost: `${host}/v1`, protocol: request.protocol }
      },
      // Remote metrics go to https://<host>/m unless the page sets a protocol in its load options;
      // on a plain-http Loupe that would fail in the console, so they are off by default.
      metrics: { sampleRate: 0 },
      plan: { track: { __default: { enabled: true } }, identify: { __default: { enabled: true } }, group: { __default: { enabled: true } } },
      remotePlugins: []
    }
  })

  app.get('/analytics.js/v1/:writeKey/analytics.min.js', async (_request, reply) => {
    reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=300')
    return asset('standalone.js')
  })

  app.get<{ Params: { file: string } }>('/analytics-next/bundles/:file', async (request, reply) => {
    const { file } = request.params
    if (!CHUNK_NAME.test(file) || file === 'standalone.js' || file === 'index.js') {
      throw new ApiError(404, 'ERR_NOT_FOUND', `No analytics.js chunk named "${file}".`)
    }
    try {
      const body = await asset(file)
      reply.type('application/javascript; charset=utf-8').header('Cache-Control', 'public, max-age=31536000, immutable')
      return body
    } catch {
      throw new ApiError(404, 'ERR_NOT_FOUND', `No analytics.js chunk named "${file}".`)
    }
  })
}
