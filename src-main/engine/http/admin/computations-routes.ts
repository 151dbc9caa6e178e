// Computed traits and audiences, admin side (issue #8): definitions (checked, names unique), live previews
// of a draft, and an audience's members.
// Threat model: behind the admin surface's token, Host and Origin checks (security.ts); definitions are
// bounded (20 conditions, 500-character values, paths of plain keys — a path is put into SQL only after
// definitions.ts has checked it against a strict pattern, and quoted).

import type { FastifyInstance } from 'fastify'
import type { Audience, ComputationPreview, ComputedTrait, ProfileSummary } from '../../../../src-shared/identity'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { keyOf, readAudienceDefinition, readTraitDefinition } from '../../identity/definitions'
import { invalid } from './destination-settings'
import { idParam, pageLimit } from './identity-routes'

export function registerComputationRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const { reads, previews } = ctx.identity
  const checks = {
    traitExists: (id: number) => reads.computedTraits().some((t) => t.id === id),
    sourceExists: (id: number) => ctx.sources.get(id) !== null,
    audienceKeys: () => reads.audiences().map((a) => a.key)
  }
  const notFound = (what: string, raw: string): never => {
    throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No ${what} with id "${raw}".`, 'id')
  }
  const uniqueName = (name: string, taken: { id: number; name: string; key: string }[], self: number | null): string => {
    const key = keyOf(name)
    const clash = taken.find((t) => t.id !== self && (t.name.toLowerCase() === name.toLowerCase() || t.key === key))
    if (clash) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', `"${clash.name}" already has this name (key "${key}"); pick another.`, 'name')
    return key
  }

  app.get('/api/computed-traits', async (): Promise<{ traits: ComputedTrait[] }> => ({ traits: reads.computedTraits() }))

  app.post('/api/computed-traits', async (request, reply): Promise<ComputedTrait> => {
    const definition = readTraitDefinition(request.body, invalid)
    const key = uniqueName(definition.name, reads.computedTraits(), null)
    const id = await ctx.store.command('identity.traitCreate', { name: definition.name, key, definition })
    reply.code(201)
    return reads.computedTraits().find((t) => t.id === id)!
  })

  app.put<{ Params: { id: string } }>('/api/computed-traits/:id', async (request): Promise<ComputedTrait> => {
    const id = idParam(request.params.id, 'computed trait')
    const before = reads.computedTraits().find((t) => t.id === id) ?? notFound('computed trait', request.params.id)
    const definition = readTraitDefinition(request.body, invalid)
    const key = uniqueName(definition.name, reads.computedTraits(), id)
    const changed = (['type', 'event', 'property', 'windowDays'] as const).some((k) => before[k] !== definition[k])
    await ctx.store.command('identity.traitUpdate', { id, name: definition.name, key, definition: changed ? definition : null })
    return reads.computedTraits().find((t) => t.id === id)!
  })

  app.delete<{ Params: { id: string } }>('/api/computed-traits/:id', async (request, reply) => {
    const id = idParam(request.params.id, 'computed trait')
    const users = reads.audiences().filter((a) => a.conditions.some((c) => c.kind === 'computed' && c.traitId === id))
    if (users.length > 0) throw new ApiError(409, 'ERR_ADMIN_CONFLICT', `Audience "${users[0]!.name}" uses this trait; change or delete it first.`, 'id')
    if (!(await ctx.store.command('identity.traitDelete', { id }))) notFound('computed trait', request.params.id)
    reply.code(204)
  })

  app.post('/api/computed-traits/preview', async (request): Promise<ComputationPreview> => previews.trait(readTraitDefinition({ name: 'preview', ...(request.body as object) }, invalid)))

  app.get('/api/audiences', async (): Promise<{ audiences: Audience[] }> => ({ audiences: reads.audiences() }))

  // An audience sends its key as an identify trait: a key profiles already carry as a trait of their own
  // (say "plan") would overwrite that trait downstream.
  const traitInUse = (key: string): void => {
    if (ctx.db.prepare('SELECT 1 FROM profile_traits WHERE key = ? LIMIT 1').get(key) !== undefined) {
      throw new ApiError(409, 'ERR_ADMIN_CONFLICT', `Profiles already have a trait "${key}" of their own; the audience would overwrite it in destinations. Pick another name.`, 'name')
    }
  }

  app.post('/api/audiences', async (request, reply): Promise<Audience> => {
    const definition = readAudienceDefinition(request.body, invalid, checks)
    const key = uniqueName(definition.name, reads.audiences(), null)
    traitInUse(key)
    const id = await ctx.store.command('identity.audienceCreate', { name: definition.name, key, definition })
    reply.code(201)
    return reads.audiences().find((a) => a.id === id)!
  })

  app.put<{ Params: { id: string } }>('/api/audiences/:id', async (request): Promise<Audience> => {
    const id = idParam(request.params.id, 'audience')
    const before = reads.audiences().find((a) => a.id === id) ?? notFound('audience', request.params.id)
    const definition = readAudienceDefinition(request.body, invalid, checks)
    const key = uniqueName(definition.name, reads.audiences(), id)
    if (key !== before.key) traitInUse(key)
    const recompute = before.match !== definition.match || JSON.stringify(before.conditions) !== JSON.stringify(definition.conditions)
    await ctx.store.command('identity.audienceUpdate', { id, name: definition.name, key, definition, recompute })
    return reads.audiences().find((a) => a.id === id)!
  })

  app.delete<{ Params: { id: string } }>('/api/audiences/:id', async (request, reply) => {
    if (!(await ctx.store.command('identity.audienceDelete', { id: idParam(request.params.id, 'audience') }))) notFound('audience', request.params.id)
    reply.code(204)
  })

  app.post('/api/audiences/preview', async (request): Promise<ComputationPreview> => previews.audience(readAudienceDefinition({ name: 'preview', ...(request.body as object) }, invalid, checks)))

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/audiences/:id/members', async (request): Promise<{ profiles: ProfileSummary[] }> => {
    const id = idParam(request.params.id, 'audience')
    if (!reads.audiences().some((a) => a.id === id)) notFound('audience', request.params.id)
    return { profiles: reads.members(id, pageLimit(request.query.limit, 50, 500)) }
  })
}
