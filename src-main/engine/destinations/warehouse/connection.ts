// Connections to the warehouse (node-postgres, `pg`): a small pool per destination, and the connection test
// the admin API runs before saving. Errors of an idle pooled client are caught here: a warehouse that goes
// away must make loads fail and retry, never take the engine down.

import pg from 'pg'
import type { WarehouseSettings, WarehouseTestResult } from '../../../../src-shared/warehouse'

export function poolFor(settings: WarehouseSettings, log: (line: string) => void = () => {}): pg.Pool {
  const pool = new pg.Pool({
    host: settings.host,
    port: settings.port ?? 5432,
    database: settings.database,
    user: settings.user,
    password: settings.password,
    ssl: sslOf(settings),
    // One connection per load in flight (3 by default), one spare.
    max: 4,
    connectionTimeoutMillis: 10_000,
    idleTimeoutMillis: 30_000,
    statement_timeout: 300_000,
    application_name: 'loupe'
  })
  pool.on('error', (error) => log(`warehouse ${settings.host}: an idle connection failed: ${error.message}`))
  // pg-pool listens for errors only while a client is idle: one that fails while checked out (the server
  // restarts or kills the backend mid-load) would emit 'error' with no listener and crash the process. The
  // query in flight rejects on its own, which fails the load and retries it.
  pool.on('connect', (client) => client.on('error', () => undefined))
  return pool
}

function sslOf(settings: WarehouseSettings): pg.PoolConfig['ssl'] {
  switch (settings.sslMode ?? 'disable') {
    case 'disable':
      return false
    case 'require':
      // libpq's `require`: encrypted, certificate not checked.
      return { rejectUnauthorized: false }
    case 'verify-full':
      return { rejectUnauthorized: true, servername: settings.host }
  }
}

/** SQLSTATE classes and socket errors that say "not now" rather than "never": the load is retried. */
export function isTransientError(error: unknown): boolean {
  const code = String((error as { code?: unknown }).code ?? '')
  return /^(08|53|57|58|40)/.test(code) || /^E(CONNREFUSED|CONNRESET|TIMEDOUT|HOSTUNREACH|NETUNREACH|PIPE|AI_AGAIN|NOTFOUND)$/.test(code) || /timeout|terminated|Connection terminated/i.test((error as Error).message ?? '')
}

/** Connects, reads the server version and checks the user may create schemas (each source gets one). */
export async function testConnection(settings: WarehouseSettings): Promise<WarehouseTestResult> {
  const client = new pg.Client({ host: settings.host, port: settings.port ?? 5432, database: settings.database, user: settings.user, password: settings.password, ssl: sslOf(settings), connectionTimeoutMillis: 5_000 })
  client.on('error', () => undefined)
  try {
    await client.connect()
    const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v
    const canCreate = (await client.query<{ ok: boolean }>("SELECT has_database_privilege(current_user, current_database(), 'CREATE') AS ok")).rows[0]!.ok
    if (!canCreate) return { ok: false, serverVersion: `PostgreSQL ${version}`, error: `user "${settings.user}" may not create schemas in database "${settings.database}" (GRANT CREATE ON DATABASE ${settings.database} TO ${settings.user})`, field: 'user' }
    return { ok: true, serverVersion: `PostgreSQL ${version}`, error: null, field: null }
  } catch (error) {
    return { ok: false, serverVersion: null, error: (error as Error).message || String(error), field: fieldOf(error) }
  } finally {
    await client.end().catch(() => undefined)
  }
}

function fieldOf(error: unknown): string {
  const code = String((error as { code?: unknown }).code ?? '')
  if (code === '28P01') return 'password'
  if (code === '28000') return 'user'
  if (code === '3D000') return 'database'
  if (code === 'ECONNREFUSED') return 'port'
  if (/SSL|ssl/.test((error as Error).message ?? '')) return 'sslMode'
  return 'host'
}
