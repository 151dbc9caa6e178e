// The catalogue of Action destinations (Segment's open-source destinations that Loupe can run):
// search it, and read one destination's settings, actions and presets to configure it.

import type { FastifyInstance } from 'fastify'
import type { CatalogueDestination, CatalogueEntry } from '../../../../src-shared/api'
import { catalogue, searchCatalogue } from '../../destinations/actions/catalogue'
import { ApiError } from '../../errors'

export function registerCatalogueRoutes(app: FastifyInstance): void {
  app.get<{ Querystring: { q?: unknown; category?: unknown } }>('/api/catalogue', async (request): Promise<{ destinations: CatalogueEntry[] }> => {
    const q = queryText(request.query.q, 'q')
    const category = queryText(request.query.category, 'category')
    return { destinations: searchCatalogue(q, category || undefined) }
  })

  app.get<{ Params: { slug: string } }>('/api/catalogue/:slug', async (request): Promise<CatalogueDestination> => {
    const destination = catalogue().find(request.params.slug)
    if (!destination) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No Action destination "${request.params.slug.slice(0, 100)}" in the catalogue.`, 'slug')
    return destination
  })
}

function queryText(raw: unknown, name: string): string {
  if (raw === undefined) return ''
  if (typeof raw !== 'string' || raw.length > 200) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', `${name} must be a text of at most 200 characters`, name)
  return raw.trim()
}
