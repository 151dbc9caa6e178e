import type { FastifyInstance } from 'fastify'
import type { CreateSourceRequest, Source, UpdateSourceRequest } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { WRITE_KEY_PATTERN, WRITE_KEY_RULE } from '../../../../src-shared/write-key'
import { SourceConflictError } from '../../store/sources'

export function registerSourceRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get('/api/sources', async (): Promise<{ sources: Source[] }> => ({ sources: ctx.sources.list() }))

  app.get<{ Params: { id: string } }>('/api/sources/:id', async (request): Promise<Source> => {
    return found(ctx.sources.get(sourceId(request.params.id)), request.params.id)
  })

  app.post('/api/sources', async (request, reply): Promise<Source> => {
    const body = objectBody(request.body) as Partial<CreateSourceRequest>
    const name = sourceName(body.name)
    const writeKey = body.writeKey
    if (writeKey !== undefined && (typeof writeKey !== 'string' || !WRITE_KEY_PATTERN.test(writeKey))) {
      throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', WRITE_KEY_RULE, 'writeKey')
    }
    try {
      const source = await ctx.sources.create(name, writeKey as string | undefined)
      reply.code(201)
      return source
    } catch (error) {
      if (error instanceof SourceConflictError) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', error.message, 'writeKey')
      throw error
    }
  })

  app.patch<{ Params: { id: string } }>('/api/sources/:id', async (request): Promise<Source> => {
    const body = objectBody(request.body) as UpdateSourceRequest & Record<string, unknown>
    const unknown = Object.keys(body).filter((key) => key !== 'name')
    if (unknown.length > 0) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `Only "name" can be changed; got ${unknown.join(', ')}.`, unknown[0])
    const id = sourceId(request.params.id)
    found(ctx.sources.get(id), request.params.id)
    if (body.name === undefined) return ctx.sources.get(id)!
    return found(await ctx.sources.rename(id, sourceName(body.name)), request.params.id)
  })

  app.delete<{ Params: { id: string } }>('/api/sources/:id', async (request): Promise<{ deleted: Source }> => {
    const id = sourceId(request.params.id)
    const source = found(await ctx.sources.remove(id), request.params.id)
    return { deleted: source }
  })
}

function sourceId(raw: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${raw}".`, 'id')
  return Number(raw)
}

function found<T>(value: T | null, id: string): T {
  if (value === null) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${id}".`, 'id')
  return value
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'The body must be a JSON object.')
  }
  return body as Record<string, unknown>
}

function sourceName(value: unknown): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 200) {
    throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'name must be a non-empty string of at most 200 characters.', 'name')
  }
  return value.trim()
}
