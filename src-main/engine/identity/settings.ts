// Merge-rule settings: stored as JSON in identity_state, read by the consumer (store thread) and the admin API.
// Threat model: settings come from the admin surface (token-checked) but are still bounded and named on
// refusal; blocked values are exact strings, not patterns (no user regex runs over attacker-controlled ids).

import type { Database } from 'better-sqlite3'
import { ANONYMOUS_ID, AUDIENCE_MESSAGE_PREFIX, DEFAULT_IDENTITY_SETTINGS, USER_ID, type IdentitySettings } from '../../../src-shared/identity'

const KIND = /^[a-z][a-z0-9_]{0,39}$/
const PATH = /^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,7}$/

export function readIdentitySettings(db: Database): IdentitySettings {
  const raw = db.prepare("SELECT value FROM identity_state WHERE key = 'settings'").pluck().get() as string | undefined
  return raw ? { ...DEFAULT_IDENTITY_SETTINGS, ...(JSON.parse(raw) as Partial<IdentitySettings>) } : DEFAULT_IDENTITY_SETTINGS
}

type Fail = (field: string, message: string) => never

/** The settings after applying a change (a PUT body); every refusal names its field. */
export function validateIdentitySettings(body: Record<string, unknown>, current: IdentitySettings, fail: Fail): IdentitySettings {
  const next: IdentitySettings = { ...current }
  for (const [key, value] of Object.entries(body)) {
    switch (key) {
      case 'rebuild':
        if (typeof value !== 'boolean') fail(key, 'rebuild: must be true or false')
        break
      case 'enabled':
      case 'blockZeroIds':
        if (typeof value !== 'boolean') fail(key, `${key}: must be true or false`)
        next[key] = value
        break
      case 'externalIds':
        next.externalIds = externalIds(value, fail)
        break
      case 'blockedValues':
        if (!Array.isArray(value) || value.length > 1000) fail(key, 'blockedValues: must be a list of at most 1,000 strings')
        next.blockedValues = value.map((v, i) => {
          if (typeof v !== 'string' || v.length > 200) fail(`blockedValues[${i}]`, `blockedValues[${i}]: must be a string of at most 200 characters`)
          return v.trim()
        })
        break
      case 'limits':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(key, 'limits: must be an object of kind → number')
        next.limits = {}
        for (const [kind, limit] of Object.entries(value as Record<string, unknown>)) {
          if (!KIND.test(kind)) fail(`limits.${kind}`, `limits: "${kind}" is not an identifier kind (lower-case letters, digits, _)`)
          next.limits[kind] = count(limit, `limits.${kind}`, fail)
        }
        break
      case 'defaultLimit':
        next.defaultLimit = count(value, key, fail)
        break
      case 'priority':
        if (!Array.isArray(value) || value.length > 50) fail(key, 'priority: must be a list of at most 50 identifier kinds')
        next.priority = value.map((kind, i) => {
          if (typeof kind !== 'string' || !KIND.test(kind)) fail(`priority[${i}]`, `priority[${i}]: must be an identifier kind (lower-case letters, digits, _)`)
          return kind
        })
        if (new Set(next.priority).size !== next.priority.length) fail(key, 'priority: a kind is listed twice')
        break
      default:
        fail(key, `"${key}" is not an identity setting`)
    }
  }
  return next
}

function count(value: unknown, field: string, fail: Fail): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 1000) fail(field, `${field}: must be a whole number from 1 to 1000`)
  return value as number
}

function externalIds(value: unknown, fail: Fail): IdentitySettings['externalIds'] {
  if (!Array.isArray(value) || value.length > 20) fail('externalIds', 'externalIds: must be a list of at most 20 { kind, paths }')
  const kinds = new Set<string>()
  return value.map((rule, i) => {
    const field = `externalIds[${i}]`
    if (typeof rule !== 'object' || rule === null) fail(field, `${field}: must be { kind, paths }`)
    const { kind, paths } = rule as { kind?: unknown; paths?: unknown }
    if (typeof kind !== 'string' || !KIND.test(kind)) fail(`${field}.kind`, `${field}.kind: must be lower-case letters, digits and _ (e.g. "email")`)
    if (kind === USER_ID || kind === ANONYMOUS_ID) fail(`${field}.kind`, `${field}.kind: "${kind}" is built in (userId / anonymousId)`)
    if (kinds.has(kind)) fail(`${field}.kind`, `${field}.kind: "${kind}" is listed twice`)
    kinds.add(kind)
    if (!Array.isArray(paths) || paths.length === 0 || paths.length > 5) fail(`${field}.paths`, `${field}.paths: must list 1 to 5 payload paths`)
    for (const [j, path] of paths.entries()) {
      if (typeof path !== 'string' || !PATH.test(path)) fail(`${field}.paths[${j}]`, `${field}.paths[${j}]: must be a dotted path such as "traits.email"`)
    }
    return { kind, paths: paths as string[] }
  })
}

/** The messageId prefix of the audience events this data dir sends (see migration 0110's audience_salt). */
export function audienceMessagePrefix(db: Database): string {
  const salt = db.prepare("SELECT value FROM identity_state WHERE key = 'audience_salt'").pluck().get() as string | undefined
  return `${AUDIENCE_MESSAGE_PREFIX}${salt ?? ''}-`
}
