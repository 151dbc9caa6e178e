import type { FastifyInstance } from 'fastify'
import type { EventRecord, EventsPage } from '../../../../src-shared/api'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { parseSearch } from './event-filters'

export function registerEventRoutes(app: FastifyInstance, ctx: EngineContext): void {
  app.get('/api/events', async (request): Promise<EventsPage> => {
    return ctx.queries.search(parseSearch(request.query as Record<string, unknown>))
  })

  app.get<{ Params: { id: string } }>('/api/events/:id', async (request): Promise<EventRecord> => {
    const { id } = request.params
    const event = /^\d{1,15}$/.test(id) ? ctx.queries.get(Number(id)) : null
    if (!event) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No event with id "${id}".`, 'id')
    return event
  })
}
