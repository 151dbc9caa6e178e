// GET /api/backup: a consistent copy of the running engine's database, as a download (the UI's "Download
// backup", and `loupe backup` while an engine runs). GET /api/config/export: the sources and destinations as
// a config file for `loupe serve --config`, secrets as `${LOUPE_SECRET_…}` references.

import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import { createReadStream, rmSync } from 'node:fs'
import { join } from 'node:path'
import { backupDatabase, backupFileName } from '../../backup/online-backup'
import { exportConfig } from '../../config-file/export'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'

export function registerBackupRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get('/api/backup', async (_request, reply) => {
    // In the data dir (0700), not the shared temp folder: the copy holds every event.
    const file = join(ctx.config.dataDir, `.backup-${randomBytes(8).toString('hex')}.db`)
    try {
      await backupDatabase(ctx.db, file)
    } catch (error) {
      rmSync(file, { force: true })
      throw error
    }
    const stream = createReadStream(file)
    stream.on('close', () => rmSync(file, { force: true }))
    return reply
      .header('content-type', 'application/vnd.sqlite3')
      .header('content-disposition', `attachment; filename="${backupFileName()}"`)
      .header('cache-control', 'no-store')
      .send(stream)
  })

  app.get<{ Querystring: { format?: string } }>('/api/config/export', async (request, reply) => {
    const format = request.query.format ?? 'yaml'
    if (format !== 'yaml' && format !== 'json') throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'format must be yaml or json', 'format')
    const sources = ctx.sources.list().map(({ id, name, writeKey }) => ({ id, name, writeKey, enforcement: ctx.validation.enforcement(id) }))
    const { text, variables } = exportConfig(sources, ctx.destinations.list(), format, ctx.plans.list())
    return reply
      .header('content-type', format === 'json' ? 'application/json; charset=utf-8' : 'application/yaml; charset=utf-8')
      .header('content-disposition', `attachment; filename="loupe.config.${format}"`)
      .header('cache-control', 'no-store')
      .header('x-loupe-secret-variables', variables.join(','))
      .send(text)
  })
}
