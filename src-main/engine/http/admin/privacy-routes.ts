// Privacy's admin side (issue #6): matchers and settings, the PII inventory with its triage inbox and CSV
// export, per-source settings, suppressions and deletions.
// Threat model: behind the admin surface's checks (security.ts). Ids a caller suppresses or deletes are
// hashed before they are stored; the inventory holds field paths and counts, never values; custom patterns
// are compiled before they are saved, and only tested on bounded strings (detect.ts).

import type { FastifyInstance } from 'fastify'
import type { Deletion, MatcherInfo, PiiField, PiiInventory, PrivacySettings, SourcePrivacy, Suppression } from '../../../../src-shared/privacy'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { runDeletion, toDeletion, type DeletionDb } from '../../privacy/deletion'
import { idHash } from '../../privacy/hash'
import { readPrivacySettings } from '../../privacy/settings-validation'
import { invalid } from './destination-settings'

interface InventoryDb {
  source_id: number
  path: string
  matcher: string
  count: number
  first_seen: number
  last_seen: number
  triaged: number
}

export function registerPrivacyRoutes(app: FastifyInstance, ctx: EngineContext): void {
  const sourceOf = (raw: string): number => {
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN
    if (!ctx.sources.get(id)) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No source with id "${raw}".`, 'id')
    return id
  }
  /** `{"userId": …}` or `{"anonymousId": …}`: exactly one. */
  const whoOf = (body: unknown, extra: string[] = []): { kind: 'userId' | 'anonymousId'; id: string } => {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'The body must be a JSON object with "userId" or "anonymousId"')
    const input = body as Record<string, unknown>
    const unknown = Object.keys(input).find((k) => !['userId', 'anonymousId', ...extra].includes(k))
    if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
    const kinds = (['userId', 'anonymousId'] as const).filter((k) => input[k] !== undefined)
    if (kinds.length !== 1) invalid('userId', 'Give exactly one of "userId" and "anonymousId"')
    const kind = kinds[0]!
    const id = input[kind]
    if (typeof id !== 'string' || id.trim().length === 0 || id.length > 1000) invalid(kind, `${kind} must be a non-empty string`)
    return { kind, id }
  }

  app.get('/api/privacy/matchers', async (): Promise<{ matchers: MatcherInfo[] }> => ({ matchers: ctx.privacy.matchers() }))

  app.get('/api/privacy/settings', async (): Promise<PrivacySettings> => ctx.privacy.settings)

  app.put('/api/privacy/settings', async (request): Promise<PrivacySettings> => {
    const builtIn = new Set(ctx.privacy.matchers().filter((m) => !m.custom).map((m) => m.id))
    const settings = readPrivacySettings(request.body, (id) => builtIn.has(id), invalid)
    await ctx.store.command('privacy.setSettings', { settings: JSON.stringify(settings) })
    return ctx.privacy.settings
  })

  const inventory = (sourceId: number | null): PiiField[] => {
    const rows = ctx.db
      .prepare('SELECT * FROM pii_inventory WHERE (? IS NULL OR source_id = ?) ORDER BY last_seen DESC LIMIT 5000')
      .all(sourceId, sourceId) as InventoryDb[]
    const destinations = ctx.destinations.list()
    return rows.map((r): PiiField => {
      const classification = ctx.privacy.classify(r.matcher, r.path)
      return {
        sourceId: r.source_id,
        path: r.path,
        matcher: r.matcher,
        classification,
        count: r.count,
        firstSeen: new Date(r.first_seen).toISOString(),
        lastSeen: new Date(r.last_seen).toISOString(),
        destinations: destinations.filter((d) => d.sourceIds.includes(r.source_id)).map((d) => ({ destinationId: d.id, action: d.privacy[classification] })),
        triaged: r.triaged === 1
      }
    })
  }
  const sourceQuery = (query: Record<string, unknown>): number | null => {
    const raw = query.source
    if (raw === undefined || raw === '') return null
    if (typeof raw !== 'string' || !/^\d{1,15}$/.test(raw)) throw new ApiError(400, 'ERR_ADMIN_INVALID_QUERY', 'source must be a source id (a number)', 'source')
    return sourceOf(raw)
  }

  app.get('/api/privacy/inventory', async (request): Promise<PiiInventory> => {
    const fields = inventory(sourceQuery(request.query as Record<string, unknown>))
    return { fields, inbox: fields.filter((f) => !f.triaged).length }
  })

  app.get('/api/privacy/inventory.csv', async (request, reply) => {
    const fields = inventory(sourceQuery(request.query as Record<string, unknown>))
    const names = new Map(ctx.sources.list().map((s) => [s.id, s.name]))
    const destinationNames = new Map(ctx.destinations.list().map((d) => [d.id, d.name]))
    const lines = [['source', 'field', 'matcher', 'classification', 'events', 'first_seen', 'last_seen', 'destinations', 'triaged']]
    for (const f of fields) {
      lines.push([names.get(f.sourceId) ?? String(f.sourceId), f.path, f.matcher, f.classification, String(f.count), f.firstSeen, f.lastSeen, f.destinations.map((d) => `${destinationNames.get(d.destinationId) ?? d.destinationId}: ${d.action}`).join('; '), f.triaged ? 'yes' : 'no'])
    }
    return reply
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', 'attachment; filename="loupe-pii-inventory.csv"')
      .send(`${lines.map((cells) => cells.map(csvCell).join(',')).join('\r\n')}\r\n`)
  })

  app.post('/api/privacy/inventory/triage', async (request): Promise<PiiField> => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const unknown = Object.keys(body).find((k) => !['sourceId', 'path', 'matcher', 'classification'].includes(k))
    if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
    if (!Number.isInteger(body.sourceId)) invalid('sourceId', 'sourceId must be a source id')
    if (typeof body.path !== 'string' || body.path === '') invalid('path', 'path must be a field path of the inventory')
    if (typeof body.matcher !== 'string' || body.matcher === '') invalid('matcher', 'matcher must be a matcher id of the inventory')
    // Checked before anything is written: a refused classification leaves the field in the inbox.
    let checked: PrivacySettings | null = null
    if (body.classification !== undefined) {
      // Reclassifying a field is a per-field classification: every event's finding at that path follows it.
      const next = { ...ctx.privacy.settings, fieldClassifications: { ...ctx.privacy.settings.fieldClassifications, [body.path]: body.classification } }
      const builtIn = new Set(ctx.privacy.matchers().filter((m) => !m.custom).map((m) => m.id))
      checked = readPrivacySettings(next, (id) => builtIn.has(id), (field, message) => invalid(field.startsWith('fieldClassifications.') ? 'classification' : field, message))
    }
    const found = await ctx.store.command('privacy.triage', { sourceId: body.sourceId as number, path: body.path, matcher: body.matcher })
    if (!found) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No field "${body.path}" found by "${body.matcher}" in source ${String(body.sourceId)}.`, 'path')
    if (checked) await ctx.store.command('privacy.setSettings', { settings: JSON.stringify(checked) })
    return inventory(body.sourceId as number).find((f) => f.path === body.path && f.matcher === body.matcher)!
  })

  app.get<{ Params: { id: string } }>('/api/sources/:id/privacy', async (request): Promise<SourcePrivacy> => ctx.privacy.source(sourceOf(request.params.id)))

  app.put<{ Params: { id: string } }>('/api/sources/:id/privacy', async (request): Promise<SourcePrivacy> => {
    const sourceId = sourceOf(request.params.id)
    const body = request.body as Record<string, unknown> | null
    if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('body', 'The body must be a JSON object: {"blockRed": true|false}')
    const unknown = Object.keys(body).find((k) => k !== 'blockRed')
    if (unknown) invalid(unknown, `Unknown field "${unknown}".`)
    if (typeof body.blockRed !== 'boolean') invalid('blockRed', 'blockRed must be true or false')
    await ctx.store.command('sources.setPrivacy', { sourceId, privacy: JSON.stringify({ blockRed: body.blockRed }) })
    return ctx.privacy.source(sourceId)
  })

  app.get('/api/privacy/suppressions', async (): Promise<{ suppressions: Suppression[] }> => ({
    suppressions: (ctx.db.prepare('SELECT kind, id_hash, created_at FROM suppressions ORDER BY created_at DESC').all() as { kind: Suppression['kind']; id_hash: string; created_at: number }[])
      .map((r) => ({ kind: r.kind, idHash: r.id_hash, createdAt: new Date(r.created_at).toISOString() }))
  }))

  app.post('/api/privacy/suppressions', async (request, reply): Promise<Suppression> => {
    const { kind, id } = whoOf(request.body)
    const hashed = idHash(ctx.privacy.salt, id)
    await ctx.store.command('privacy.suppress', { kind, idHash: hashed })
    reply.code(201)
    return { kind, idHash: hashed, createdAt: new Date().toISOString() }
  })

  app.post('/api/privacy/suppressions/remove', async (request): Promise<{ removed: boolean }> => {
    const { kind, id } = whoOf(request.body)
    return { removed: await ctx.store.command('privacy.unsuppress', { kind, idHash: idHash(ctx.privacy.salt, id) }) }
  })

  const deletionRow = (id: number): Deletion | null => {
    const row = ctx.db.prepare('SELECT * FROM deletions WHERE id = ?').get(id) as DeletionDb | undefined
    return row ? toDeletion(row) : null
  }

  app.get('/api/privacy/deletions', async (): Promise<{ deletions: Deletion[] }> => ({
    deletions: (ctx.db.prepare('SELECT * FROM deletions ORDER BY id DESC LIMIT 200').all() as DeletionDb[]).map(toDeletion)
  }))

  app.get<{ Params: { id: string } }>('/api/privacy/deletions/:id', async (request): Promise<Deletion> => {
    const deletion = /^\d{1,15}$/.test(request.params.id) ? deletionRow(Number(request.params.id)) : null
    if (!deletion) throw new ApiError(404, 'ERR_ADMIN_NOT_FOUND', `No deletion with id "${request.params.id}".`, 'id')
    return deletion
  })

  app.post('/api/privacy/deletions', async (request, reply): Promise<Deletion> => {
    const who = whoOf(request.body, ['confirm'])
    if ((request.body as { confirm?: unknown }).confirm !== true) invalid('confirm', 'Deleting a user’s data cannot be undone: send "confirm": true')
    const id = await ctx.store.command('privacy.deletionStart', { kind: who.kind, idHash: idHash(ctx.privacy.salt, who.id) })
    void runDeletion(ctx, id, who)
    reply.code(202)
    return deletionRow(id)!
  })
}

function csvCell(value: string): string {
  // Spreadsheets run cells that start with = + - @ as formulas: field names come from clients.
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe
}
