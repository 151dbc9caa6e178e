// Session export / import: GET /api/export streams a selection as NDJSON; POST /api/import takes NDJSON
// (plain or gzip) and imports it as a job, GET /api/import/:id shows its progress.

import { randomBytes } from 'node:crypto'
import { createWriteStream } from 'node:fs'
import { readdir, rm } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable, Transform } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { createGzip } from 'node:zlib'
import type { FastifyInstance } from 'fastify'
import type { ImportJob } from '../../../../src-shared/sessions'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { exportLines, type ExportSelection } from '../../sessions/export-stream'
import { ImportJobs } from '../../sessions/import-jobs'
import { parseFilters } from './event-filters'

const RUN_ID = /^[A-Za-z0-9_-]{1,100}$/

/** One upload at most this large: it is spooled to the data dir before it is imported. */
const MAX_IMPORT_BYTES = 2 * 1024 ** 3

class UploadTooLarge extends Error {}

export function registerSessionRoutes(app: FastifyInstance, ctx: EngineContext): void {
  // Uploads a crash left half-spooled are of no use: the client got no job for them.
  void readdir(ctx.config.dataDir).then((names) => Promise.all(names.filter((n) => /^import-[0-9a-f]+\.ndjson\.part$/.test(n)).map((n) => rm(join(ctx.config.dataDir, n), { force: true })))).catch(() => undefined)
  const jobs = new ImportJobs({ config: ctx.config, sources: ctx.sources, store: ctx.store, validation: ctx.validation, privacy: ctx.privacy })

  app.get('/api/export', async (request, reply) => {
    const query = request.query as Record<string, unknown>
    const selection: ExportSelection = parseFilters(query, ['runId', 'gzip'])
    const runId = query.runId
    if (runId !== undefined && runId !== '') {
      if (typeof runId !== 'string' || !RUN_ID.test(runId)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'runId must be a test run id (letters, digits, - and _)', 'runId')
      selection.run = ctx.qa.runs.scope(runId)
    }
    const gzip = query.gzip
    if (gzip !== undefined && gzip !== '0' && gzip !== '1') throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'gzip must be 1 or 0', 'gzip')
    const lines = Readable.from(exportLines({ db: ctx.db, queries: ctx.queries, writeKeyOf: (id) => ctx.sources.get(id)?.writeKey ?? null }, selection))
    const name = `loupe-export-${new Date().toISOString().replace(/[:.]/g, '-')}.ndjson${gzip === '1' ? '.gz' : ''}`
    reply.header('content-disposition', `attachment; filename="${name}"`)
    if (gzip === '1') {
      reply.header('content-type', 'application/gzip')
      return reply.send(lines.pipe(createGzip({ level: 1 })))
    }
    reply.header('content-type', 'application/x-ndjson; charset=utf-8')
    return reply.send(lines)
  })

  // Its own context: the upload is a byte stream (NDJSON or gzip), not the admin API's JSON. The admin guard
  // still runs first (for this route it admits application/x-ndjson, application/gzip and application/json —
  // see security.ts; the body is read as NDJSON or gzip by its bytes, whatever its label).
  void app.register(async (scoped) => {
    scoped.removeAllContentTypeParsers()
    scoped.addContentTypeParser('*', (_request, payload, done) => done(null, payload))
    scoped.post('/api/import', async (request, reply): Promise<ImportJob> => {
      const query = request.query as Record<string, unknown>
      for (const key of Object.keys(query)) if (key !== 'sourceId') throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `unknown parameter "${key}"; expected sourceId`, key)
      let sourceId: number | null = null
      if (query.sourceId !== undefined && query.sourceId !== '') {
        const value = query.sourceId
        if (typeof value !== 'string' || !/^\d{1,15}$/.test(value) || !ctx.sources.get(Number(value))) {
          throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `sourceId must be the id of an existing source; ${JSON.stringify(value)} is not`, 'sourceId')
        }
        sourceId = Number(value)
      }
      const body = request.body as Readable | undefined
      if (!body) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'Send the NDJSON (or gzipped NDJSON) file as the request body.', 'body')
      // In the data dir: it holds the same personal data as the database.
      const file = join(ctx.config.dataDir, `import-${randomBytes(6).toString('hex')}.ndjson.part`)
      let bytes = 0
      const capped = new Transform({
        transform(chunk: Buffer, _encoding, done) {
          bytes += chunk.length
          done(bytes > MAX_IMPORT_BYTES ? new UploadTooLarge() : null, chunk)
        }
      })
      try {
        await pipeline(body, capped, createWriteStream(file, { mode: 0o600 }))
      } catch (error) {
        await rm(file, { force: true })
        if (error instanceof UploadTooLarge) throw new ApiError(413, 'ERR_ADMIN_INVALID_BODY', `The upload is larger than ${MAX_IMPORT_BYTES / 1024 ** 3} GiB; split the file (one import per part) or import a folder of files with \`loupe import\`.`, 'body')
        throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `The upload did not complete: ${(error as Error).message}`, 'body')
      }
      reply.code(202)
      return jobs.start(file, sourceId)
    })
  })

  app.get('/api/import', async (): Promise<{ jobs: ImportJob[] }> => ({ jobs: jobs.list() }))

  app.get<{ Params: { id: string } }>('/api/import/:id', async (request): Promise<ImportJob> => {
    const job = jobs.get(request.params.id)
    if (!job) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No import job with id "${request.params.id}".`, 'id')
    return job
  })
}
