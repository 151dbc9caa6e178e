// The ceiling: fastify 5 in its own process with one POST route that does nothing but parse the body as
// JSON the way Loupe's tracking surface does (every content type read as a buffer, decoded as UTF-8,
// JSON.parse) and answer {success:true}. No auth, no validation, no storage: what Loupe can at best reach
// on this machine. Usage: `node --import tsx bench/noop-server.ts /v1/track` (the route's path).
// Prints {"port":N} on stdout once listening; stops on SIGTERM.

import Fastify from 'fastify'

async function main(): Promise<void> {
  const path = process.argv[2] ?? '/v1/track'
  const app = Fastify({ logger: false, bodyLimit: 4 * 1024 * 1024, return503OnClosing: true })
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => {
    try {
      done(null, JSON.parse((body as Buffer).toString('utf8')))
    } catch (error) {
      done(Object.assign(error as Error, { statusCode: 400 }), undefined)
    }
  })
  app.post(path, async () => ({ success: true }))
  await app.listen({ host: '127.0.0.1', port: 0 })
  const bound = app.server.address()
  process.stdout.write(`${JSON.stringify({ port: typeof bound === 'object' && bound ? bound.port : 0 })}\n`)
  process.once('SIGTERM', () => {
    app.close().then(() => process.exit(0), () => process.exit(1))
  })
}

main().catch((error: unknown) => {
  process.stderr.write(`noop server failed: ${String(error)}\n`)
  process.exit(1)
})
