// Two jobs, one fastify 5 process:
//  - the ceiling (`node --import tsx bench/noop-server.ts /v1/track`): one POST route that does nothing but
//    parse the body as JSON the way Loupe's tracking surface does (every content type read as a buffer,
//    decoded as UTF-8, JSON.parse) and answer {success:true}. No auth, no validation, no storage: what Loupe
//    can at best reach on this machine.
//  - the delivery receiver (`… bench/noop-server.ts --receiver`): any POST path, parsed the same way, counted
//    (events = `batch` or `events` array length, else 1) and answered `{"code":200,"success":true}`, which
//    satisfies both a webhook and Amplitude's HTTP API. `GET /count` → {requests, events, paths};
//    `GET /sample` → the received body holding the most events (for the plain-client baseline);
//    `DELETE /count` resets both.
// Prints {"port":N} on stdout once listening; stops on SIGTERM.

import Fastify, { type FastifyInstance } from 'fastify'

async function main(): Promise<void> {
  const arg = process.argv[2] ?? '/v1/track'
  const receiving = arg === '--receiver'
  // A webhook batch of 1,000 delivered events is ~1 MB; the ceiling keeps the tracking API's 4 MB.
  const app = Fastify({ logger: false, bodyLimit: (receiving ? 64 : 4) * 1024 * 1024, return503OnClosing: true })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (request, body, done) => {
    try {
      const raw = body as Buffer
      const parsed = JSON.parse(raw.toString('utf8')) as unknown
      if (receiving) (request as { rawBody?: Buffer }).rawBody = raw
      done(null, parsed)
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined)
    }
  })
  if (receiving) receiver(app)
  else app.post(arg, async () => ({ success: true }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const bound = app.server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof bound === 'object' && bound ? bound.port : 0 })}\n`)
  process.once('SIGTERM', () => {
    app.close().then(() => process.exit(0), () => process.exit(1))
  })
}

function receiver(app: FastifyInstance): void {
  let requests = 0
  let events = 0
  let paths: Record<string, number> = {}
  let sample: { events: number; body: Buffer } | null = null
  app.post('/*', async (request) => {
    const body = request.body as { batch?: unknown; events?: unknown } | null
    const n = Array.isArray(body?.batch) ? body.batch.length : Array.isArray(body?.events) ? body.events.length : 1
    requests++
    events += n
    const path = request.url.split('?')[0]!
    paths[path] = (paths[path] ?? 0) + 1
    if (!sample || n > sample.events) sample = { events: n, body: (request as { rawBody?: Buffer }).rawBody! }
    return { code: 200, success: true }
  })
  app.get('/count', async () => ({ requests, events, paths }))
  app.get('/sample', async (_request, reply) => {
    if (!sample) return reply.code(404).send({ error: 'nothing received yet' })
    return reply.header('content-type', 'application/json').header('x-events', String(sample.events)).send(sample.body)
  })
  app.delete('/count', async () => {
    requests = 0
    events = 0
    paths = {}
    sample = null
    return { reset: true }
  })
}

main().catch((error: unknown) => {
  process.stderr.write(`noop server failed: ${String(error)}\n`)
  process.exit(1)
})
