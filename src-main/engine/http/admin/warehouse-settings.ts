// Validation of the PostgreSQL warehouse destination's settings (src-shared/warehouse.ts). The password is a
// secret: sealed at rest, masked on the way out, and a masked value sent back keeps the saved one.

import type { WarehouseSettings } from '../../../../src-shared/warehouse'
import { schemaName } from '../../destinations/warehouse/naming'
import { invalid, keepMaskedSecret } from './destination-settings'

const KNOWN = ['host', 'port', 'database', 'user', 'password', 'sslMode', 'schemas', 'loadIntervalSeconds']
const SSL_MODES = ['disable', 'require', 'verify-full'] as const

/** Schemas a source may not load into: Loupe's own records, and PostgreSQL's. */
export const RESERVED_SCHEMAS: ReadonlySet<string> = new Set(['loupe_meta', 'public', 'information_schema', 'pg_catalog', 'pg_toast'])

/** What libpq accepts in a host, database or user name, without characters that could break out of a psql line. */
const NAME = /^[\w.@:%+\-[\]]{1,253}$/

export function validateWarehouseSettings(raw: unknown, previous?: WarehouseSettings): WarehouseSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('settings', 'settings must be an object')
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).find((k) => !KNOWN.includes(k))
  if (unknown !== undefined) invalid(`settings.${unknown}`, `unknown setting "${unknown}"`)
  const name = (key: 'host' | 'database' | 'user', what: string): string => {
    const value = input[key]
    if (typeof value !== 'string' || !NAME.test(value)) invalid(`settings.${key}`, `settings.${key} must be ${what}`)
    return value
  }
  const settings: WarehouseSettings = {
    host: name('host', 'a host name or IP address (e.g. 127.0.0.1)'),
    database: name('database', 'a database name'),
    user: name('user', 'a PostgreSQL user name')
  }
  if (input.port !== undefined) {
    if (typeof input.port !== 'number' || !Number.isInteger(input.port) || input.port < 1 || input.port > 65535) invalid('settings.port', 'settings.port must be a port number (1–65535)')
    settings.port = input.port
  }
  if (input.password !== undefined && input.password !== '') {
    const password = keepMaskedSecret(input.password, previous?.password)
    if (typeof password !== 'string' || password.length > 1000) invalid('settings.password', 'settings.password must be a string')
    settings.password = password
  }
  if (input.sslMode !== undefined) {
    if (!SSL_MODES.includes(input.sslMode as (typeof SSL_MODES)[number])) invalid('settings.sslMode', `settings.sslMode must be one of ${SSL_MODES.join(', ')}`)
    settings.sslMode = input.sslMode as WarehouseSettings['sslMode']
  }
  if (input.schemas !== undefined) {
    if (typeof input.schemas !== 'object' || input.schemas === null || Array.isArray(input.schemas)) invalid('settings.schemas', 'settings.schemas must map source ids to schema names')
    const schemas: Record<string, string> = {}
    const used = new Map<string, string>()
    for (const [sourceId, schema] of Object.entries(input.schemas as Record<string, unknown>)) {
      const field = `settings.schemas.${sourceId}`
      if (typeof schema === 'string' && RESERVED_SCHEMAS.has(schema)) invalid(field, `${field}: "${schema}" is reserved (${schema === 'loupe_meta' ? 'Loupe keeps its own records there' : 'a schema every database shares or PostgreSQL owns'}); choose another schema`)
      if (typeof schema === 'string' && used.has(schema)) invalid(field, `${field}: source ${used.get(schema)} loads into "${schema}" already; each source needs its own schema`)
      if (typeof schema === 'string') used.set(schema, sourceId)
      if (!/^\d{1,15}$/.test(sourceId)) invalid(field, `${field}: keys are source ids`)
      // The name as Segment would write it, so what the user typed and what is created are the same.
      if (typeof schema !== 'string' || schema.length === 0 || schemaName(schema) !== schema) {
        invalid(field, `${field} must be a schema name in snake_case (e.g. "${typeof schema === 'string' && schema ? schemaName(schema) : 'web_app'}")`)
      }
      schemas[sourceId] = schema
    }
    settings.schemas = schemas
  }
  if (input.loadIntervalSeconds !== undefined) {
    const seconds = input.loadIntervalSeconds
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0 || seconds > 86_400) invalid('settings.loadIntervalSeconds', 'settings.loadIntervalSeconds must be a whole number of seconds from 0 (load at once) to 86400')
    settings.loadIntervalSeconds = seconds
  }
  return settings
}
