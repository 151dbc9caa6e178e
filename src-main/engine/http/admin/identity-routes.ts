// Identity resolution, admin side (issue #8): merge-rule settings, rebuild, status, the audit trail, profile
// search, the profile page, its timeline and its graph.
// Threat model: behind the admin surface's token, Host and Origin checks (security.ts). Every input is
// checked and named on refusal; lists are bounded. Identifiers and traits are event data (attacker-
// controlled) and are returned as JSON only, never as markup.

import type { FastifyInstance } from 'fastify'
import type { IdentityGraph, IdentityLogEntry, IdentitySettings, IdentityStatus, ProfileDetail, ProfileEventsPage, ProfileSummary } from '../../../../src-shared/identity'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { readIdentitySettings, validateIdentitySettings } from '../../identity/settings'
import { invalid } from './destination-settings'

export function invalidQuery(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', message, field)
}

/** Refuses query parameters other than these (a misspelt one would otherwise be ignored without a word). */
export function onlyParams(query: Record<string, unknown>, known: readonly string[]): void {
  const unknown = Object.keys(query).find((key) => !known.includes(key))
  if (unknown !== undefined) invalidQuery(unknown, `unknown parameter "${unknown}"; parameters are ${known.join(', ')}`)
}

export function pageLimit(raw: unknown, fallback: number, max: number): number {
  if (raw === undefined) return fallback
  if (typeof raw !== 'string' || !/^\d{1,4}$/.test(raw) || Number(raw) < 1 || Number(raw) > max) invalidQuery('limit', `limit must be a number from 1 to ${max}`)
  return Number(raw)
}

export function idParam(raw: string, what: string): number {
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No ${what} with id "${raw}".`, 'id')
  return Number(raw)
}

export function registerIdentityRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const reads = ctx.identity.reads

  app.get('/api/identity/settings', async (): Promise<IdentitySettings> => readIdentitySettings(ctx.db))

  app.put('/api/identity/settings', async (request): Promise<IdentitySettings> => {
    const body = request.body
    if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'The body must be a JSON object')
    const next = validateIdentitySettings(body as Record<string, unknown>, readIdentitySettings(ctx.db), invalid)
    await ctx.store.command('identity.setSettings', { settings: JSON.stringify(next), rebuild: (body as { rebuild?: boolean }).rebuild === true })
    return next
  })

  app.post('/api/identity/rebuild', async (): Promise<IdentityStatus> => {
    await ctx.store.command('identity.rebuild', {})
    return reads.status()
  })

  app.get('/api/identity/status', async (): Promise<IdentityStatus> => reads.status())

  app.get<{ Querystring: Record<string, unknown> }>('/api/identity/log', async (request): Promise<{ entries: IdentityLogEntry[] }> => {
    const q = request.query
    onlyParams(q, ['profile', 'kind', 'before', 'limit'])
    const kind = q.kind
    if (kind !== undefined && kind !== 'merge' && kind !== 'refused' && kind !== 'blocked') invalidQuery('kind', 'kind must be merge, refused or blocked')
    const before = q.before === undefined ? undefined : idParamOrInvalid(q.before, 'before')
    const profile = q.profile === undefined ? undefined : idParamOrInvalid(q.profile, 'profile')
    return { entries: reads.log({ kind, before, profile: profile === undefined ? undefined : reads.resolve(profile) ?? profile, limit: pageLimit(q.limit, 100, 500) }) }
  })

  app.get<{ Querystring: Record<string, unknown> }>('/api/profiles', async (request): Promise<{ profiles: ProfileSummary[]; next: string | null }> => {
    const q = request.query
    onlyParams(q, ['q', 'limit', 'cursor'])
    if (q.q !== undefined && (typeof q.q !== 'string' || q.q.length > 500)) invalidQuery('q', 'q must be text of at most 500 characters')
    const limit = pageLimit(q.limit, 50, 200)
    let before: { lastSeen: number; id: number } | null = null
    if (q.cursor !== undefined) {
      const m = typeof q.cursor === 'string' ? /^(\d{1,15})\.(\d{1,15})$/.exec(q.cursor) : null
      if (!m) invalidQuery('cursor', 'cursor must be the `next` of an earlier page')
      before = { lastSeen: Number(m[1]), id: Number(m[2]) }
    }
    const text = (q.q as string | undefined) ?? ''
    const profiles = reads.search(text, limit, before)
    const last = profiles[profiles.length - 1]
    const next = text.trim() === '' && profiles.length === limit && last ? `${Date.parse(last.lastSeen)}.${last.id}` : null
    return { profiles, next }
  })

  const profileOf = (raw: string): number => {
    const id = reads.resolve(idParam(raw, 'profile'))
    if (id === null) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No profile with id "${raw}".`, 'id')
    return id
  }

  // A merged-away profile's id answers with the profile it joined (its `id` says which).
  app.get<{ Params: { id: string } }>('/api/profiles/:id', async (request): Promise<ProfileDetail> => reads.detail(profileOf(request.params.id))!)

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/api/profiles/:id/events', async (request): Promise<ProfileEventsPage> => {
    const id = profileOf(request.params.id)
    const q = request.query
    onlyParams(q, ['before', 'limit'])
    let before: { at: number; id: number } | null = null
    if (q.before !== undefined) {
      const m = typeof q.before === 'string' ? /^(-?\d{1,16})\.(\d{1,16})$/.exec(Buffer.from(q.before, 'base64url').toString('utf8')) : null
      if (!m) invalidQuery('before', 'before must be the `next` of an earlier page')
      before = { at: Number(m[1]), id: Number(m[2]) }
    }
    const page = ctx.queries.profileEvents(id, before, pageLimit(q.limit, 50, 500))
    return { events: page.events, next: page.nextCursor }
  })

  app.get<{ Params: { id: string } }>('/api/profiles/:id/graph', async (request): Promise<IdentityGraph> => reads.graph(profileOf(request.params.id))!)
}

function idParamOrInvalid(raw: unknown, field: string): number {
  if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) invalidQuery(field, `${field} must be an id`)
  return Number(raw)
}
