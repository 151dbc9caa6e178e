// What the warehouse holds, for the UI: the tables Loupe has loaded (loupe_meta.table_loads) with their rows,
// columns and last load, the type conflicts, and a psql line to query it. Read on a short connection of its own.

import pg from 'pg'
import type { WarehouseSettings, WarehouseStatus, WarehouseTable } from '../../../../src-shared/warehouse'
import { META_SCHEMA } from './loader'
import { quoteIdent } from './naming'

/** Tables listed at most (a warehouse can hold thousands of event tables). */
const MAX_TABLES = 500

export async function readWarehouseStatus(settings: WarehouseSettings, destinationId: number, lastError: string | null, nextLoadAt: number | null): Promise<WarehouseStatus> {
  const status: WarehouseStatus = { destinationId, reachable: false, error: lastError, tables: [], conflicts: [], psql: psqlLine(settings), nextLoadAt: nextLoadAt === null ? null : new Date(nextLoadAt).toISOString() }
  const client = new pg.Client({ host: settings.host, port: settings.port ?? 5432, database: settings.database, user: settings.user, password: settings.password, connectionTimeoutMillis: 5_000, ssl: settings.sslMode === 'disable' || !settings.sslMode ? false : { rejectUnauthorized: settings.sslMode === 'verify-full' } })
  client.on('error', () => undefined)
  try {
    await client.connect()
    status.reachable = true
    // One snapshot: row counts and "last load" from the same moment, even while a load commits.
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY')
    const hasMeta = (await client.query(`SELECT to_regclass('${META_SCHEMA}.table_loads') IS NOT NULL AS ok`)).rows[0]!.ok as boolean
    if (!hasMeta) return status
    const loads = (await client.query<{ schema_name: string; table_name: string; last_load_at: Date; last_rows: string }>(
      `SELECT schema_name, table_name, last_load_at, last_rows FROM ${META_SCHEMA}.table_loads ORDER BY schema_name, table_name LIMIT ${MAX_TABLES}`
    )).rows
    const columns = (await client.query<{ table_schema: string; table_name: string; column_name: string; data_type: string }>(
      `SELECT c.table_schema, c.table_name, c.column_name, c.data_type FROM information_schema.columns c
       JOIN ${META_SCHEMA}.table_loads l ON l.schema_name = c.table_schema AND l.table_name = c.table_name ORDER BY c.table_schema, c.table_name, c.ordinal_position`
    )).rows
    for (const load of loads) {
      const own = columns.filter((c) => c.table_schema === load.schema_name && c.table_name === load.table_name)
      if (own.length === 0) continue // dropped by hand since
      const rows = Number((await client.query(`SELECT count(*) AS n FROM ${quoteIdent(load.schema_name)}.${quoteIdent(load.table_name)}`)).rows[0]!.n)
      const table: WarehouseTable = {
        schema: load.schema_name,
        name: load.table_name,
        rows,
        columns: own.map((c) => ({ name: c.column_name, type: c.data_type })),
        lastLoadAt: load.last_load_at.toISOString(),
        lastLoadRows: Number(load.last_rows),
        lastError: null
      }
      status.tables.push(table)
    }
    status.conflicts = (await client.query<{ schema_name: string; table_name: string; column_name: string; column_type: string; value_type: string; count: string; last_seen: Date }>(
      `SELECT * FROM ${META_SCHEMA}.type_conflicts ORDER BY last_seen DESC LIMIT 200`
    )).rows.map((c) => ({ schema: c.schema_name, table: c.table_name, column: c.column_name, columnType: c.column_type, valueType: c.value_type, count: Number(c.count), lastSeen: c.last_seen.toISOString() }))
    await client.query('COMMIT')
  } catch (error) {
    status.error = (error as Error).message
  } finally {
    await client.end().catch(() => undefined)
  }
  return status
}

/** A psql command line without the password (psql asks for it, or reads PGPASSWORD / ~/.pgpass). */
export function psqlLine(settings: WarehouseSettings): string {
  const parts = [`host=${settings.host}`, `port=${settings.port ?? 5432}`, `dbname=${settings.database}`, `user=${settings.user}`]
  if (settings.sslMode && settings.sslMode !== 'disable') parts.push(`sslmode=${settings.sslMode}`)
  return `psql "${parts.join(' ')}"`
}
