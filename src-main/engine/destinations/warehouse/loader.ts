// One load: a batch of delivered events → rows of Segment's warehouse schema (flatten.ts), written per table
// through a staging table and upserted by `id` (messageId; userId for `users`), so retries and replays never
// duplicate a row. New columns are added before the load's transaction (DDL outside it: a failed load must not
// leave the column cache believing in columns that were rolled back); the rows, the per-table load record and
// the type conflicts commit together. Every identifier goes through quoteIdent: event names and property keys
// are attacker-controlled; values travel as one JSON parameter, never in the SQL text.

import type pg from 'pg'
import { conflictColumn, fit, typeFor, valueType, type ColumnType } from './columns'
import { flattenEvent, type WarehouseValue } from './flatten'
import { quoteIdent } from './naming'

/** Loupe's own bookkeeping in the warehouse, beside the source schemas (visible to psql users too). */
export const META_SCHEMA = 'loupe_meta'

export interface TableLoad {
  schema: string
  table: string
  rows: number
}

export interface LoadSummary {
  events: number
  tables: TableLoad[]
  conflicts: number
  /** Columns left out of rows over the per-row cap. */
  droppedColumns: number
  /** Values that fitted neither their column nor its text twin (a property that is literally called `x_text`). */
  droppedValues: number
}

interface TableBatch {
  schema: string
  table: string
  rows: Map<string, Record<string, WarehouseValue>>
  /** First non-null type seen per column in this batch. */
  types: Map<string, ColumnType>
}

interface Conflict {
  schema: string
  table: string
  column: string
  columnType: string
  valueType: string
  count: number
}

export class WarehouseLoader {
  /** Known columns per "schema.table" (name → type), read from information_schema once, then kept current. */
  private readonly columns = new Map<string, Map<string, string>>()
  private readonly schemas = new Set<string>()
  private metaReady = false

  constructor(private readonly pool: pg.Pool) {}

  async load(events: Record<string, unknown>[], schemaOf: (index: number) => string): Promise<LoadSummary> {
    const loadedAt = new Date().toISOString()
    const batches = new Map<string, TableBatch>()
    let droppedColumns = 0
    events.forEach((event, index) => {
      const schema = schemaOf(index)
      for (const row of flattenEvent(event, loadedAt)) {
        droppedColumns += row.dropped
        const id = row.values.id
        if (typeof id !== 'string' || id === '') continue
        const key = `${schema}.${row.table}`
        let batch = batches.get(key)
        if (!batch) batches.set(key, (batch = { schema, table: row.table, rows: new Map(), types: new Map() }))
        // One row per id in a statement (an upsert cannot touch a row twice); for users the newer traits are
        // merged over the older ones, elsewhere the later copy of a message wins.
        const previous = batch.rows.get(id)
        batch.rows.set(id, row.table === 'users' && previous ? { ...previous, ...withoutNulls(row.values) } : { ...row.values })
        for (const [column, value] of Object.entries(row.values)) {
          if (value !== null && !batch.types.has(column)) batch.types.set(column, typeFor(column, value))
        }
      }
    })

    const client = await this.pool.connect()
    try {
      await this.ensureMeta(client)
      const conflicts: Conflict[] = []
      let droppedValues = 0
      for (const batch of batches.values()) droppedValues += await this.prepareTable(client, batch, conflicts)
      await client.query('BEGIN')
      try {
        const tables: TableLoad[] = []
        let n = 0
        for (const batch of batches.values()) {
          await this.upsert(client, batch, `__loupe_stage_${n++}`)
          tables.push({ schema: batch.schema, table: batch.table, rows: batch.rows.size })
        }
        await this.record(client, tables, conflicts)
        await client.query('COMMIT')
        return { events: events.length, tables, conflicts: conflicts.reduce((sum, c) => sum + c.count, 0), droppedColumns, droppedValues }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
    } catch (error) {
      // A failed statement may mean the cache is wrong (a table dropped by hand): read the catalogue again next time.
      this.columns.clear()
      this.schemas.clear()
      throw error
    } finally {
      client.release()
    }
  }

  /** Creates the schema, table and missing columns; moves values that do not fit their column to its text twin. */
  private async prepareTable(client: pg.PoolClient, batch: TableBatch, conflicts: Conflict[]): Promise<number> {
    const { schema, table } = batch
    const name = `${quoteIdent(schema)}.${quoteIdent(table)}`
    if (!this.schemas.has(schema)) {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`)
      this.schemas.add(schema)
    }
    let known = this.columns.get(`${schema}.${table}`)
    if (!known) {
      await client.query(`CREATE TABLE IF NOT EXISTS ${name} (id text PRIMARY KEY)`)
      const rows = (await client.query<{ column_name: string; data_type: string }>('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [schema, table])).rows
      known = new Map(rows.map((r) => [r.column_name, r.data_type]))
      this.columns.set(`${schema}.${table}`, known)
    }
    const add = async (column: string, type: string): Promise<void> => {
      await client.query(`ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${quoteIdent(column)} ${type}`)
      known!.set(column, type)
    }
    for (const [column, type] of batch.types) if (!known.has(column)) await add(column, type)

    let dropped = 0
    const counted = new Map<string, Conflict>()
    for (const values of batch.rows.values()) {
      for (const [column, value] of Object.entries(values)) {
        if (value === null || column === 'id') continue
        const type = known.get(column) as ColumnType
        const fitted = fit(type, value)
        if (fitted !== undefined) {
          values[column] = fitted
          continue
        }
        // A type conflict: the value is kept as text beside its column, and counted.
        delete values[column]
        const twin = conflictColumn(column)
        if (!known.has(twin)) await add(twin, 'text')
        if (known.get(twin) === 'text') values[twin] = typeof value === 'string' ? value : String(value)
        else dropped++
        const key = `${column}\u0000${valueType(value)}`
        const conflict = counted.get(key) ?? { schema, table, column, columnType: type, valueType: valueType(value), count: 0 }
        conflict.count++
        counted.set(key, conflict)
      }
    }
    conflicts.push(...counted.values())
    return dropped
  }

  private async upsert(client: pg.PoolClient, batch: TableBatch, stage: string): Promise<void> {
    const target = `${quoteIdent(batch.schema)}.${quoteIdent(batch.table)}`
    // Columns the table has: one that only ever got nulls is not created (Segment creates a column on its
    // first non-null value), and its nulls need no writing.
    const known = this.columns.get(`${batch.schema}.${batch.table}`)!
    const columns = new Set<string>()
    for (const values of batch.rows.values()) for (const column of Object.keys(values)) if (known.has(column)) columns.add(column)
    const list = [...columns].map(quoteIdent).join(', ')
    const updates = [...columns].filter((c) => c !== 'id').map((c) => {
      const q = quoteIdent(c)
      // users: the latest traits merged over what is known (a trait not sent this time keeps its value).
      return batch.table === 'users' ? `${q} = COALESCE(EXCLUDED.${q}, ${target}.${q})` : `${q} = EXCLUDED.${q}`
    })
    await client.query(`CREATE TEMP TABLE ${quoteIdent(stage)} (LIKE ${target}) ON COMMIT DROP`)
    await client.query(`INSERT INTO ${quoteIdent(stage)} (${list}) SELECT ${list} FROM json_populate_recordset(NULL::${quoteIdent(stage)}, $1::json)`, [JSON.stringify([...batch.rows.values()])])
    await client.query(
      `INSERT INTO ${target} (${list}) SELECT ${list} FROM ${quoteIdent(stage)} ON CONFLICT (id) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`
    )
  }

  private async ensureMeta(client: pg.PoolClient): Promise<void> {
    if (this.metaReady) return
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${META_SCHEMA}`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.table_loads (
      schema_name text NOT NULL, table_name text NOT NULL, last_load_at timestamptz NOT NULL, last_rows bigint NOT NULL,
      loads bigint NOT NULL, PRIMARY KEY (schema_name, table_name))`)
    await client.query(`CREATE TABLE IF NOT EXISTS ${META_SCHEMA}.type_conflicts (
      schema_name text NOT NULL, table_name text NOT NULL, column_name text NOT NULL, column_type text NOT NULL,
      value_type text NOT NULL, count bigint NOT NULL, last_seen timestamptz NOT NULL,
      PRIMARY KEY (schema_name, table_name, column_name, value_type))`)
    this.metaReady = true
  }

  private async record(client: pg.PoolClient, tables: TableLoad[], conflicts: Conflict[]): Promise<void> {
    if (tables.length > 0) {
      await client.query(
        `INSERT INTO ${META_SCHEMA}.table_loads (schema_name, table_name, last_load_at, last_rows, loads)
         SELECT s, t, now(), r, 1 FROM unnest($1::text[], $2::text[], $3::bigint[]) AS x(s, t, r)
         ON CONFLICT (schema_name, table_name) DO UPDATE SET last_load_at = EXCLUDED.last_load_at, last_rows = EXCLUDED.last_rows, loads = ${META_SCHEMA}.table_loads.loads + 1`,
        [tables.map((t) => t.schema), tables.map((t) => t.table), tables.map((t) => t.rows)]
      )
    }
    if (conflicts.length > 0) {
      await client.query(
        `INSERT INTO ${META_SCHEMA}.type_conflicts (schema_name, table_name, column_name, column_type, value_type, count, last_seen)
         SELECT s, t, c, ct, vt, n, now() FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::bigint[]) AS x(s, t, c, ct, vt, n)
         ON CONFLICT (schema_name, table_name, column_name, value_type) DO UPDATE SET count = ${META_SCHEMA}.type_conflicts.count + EXCLUDED.count, last_seen = EXCLUDED.last_seen, column_type = EXCLUDED.column_type`,
        [conflicts.map((c) => c.schema), conflicts.map((c) => c.table), conflicts.map((c) => c.column), conflicts.map((c) => c.columnType), conflicts.map((c) => c.valueType), conflicts.map((c) => c.count)]
      )
    }
  }
}

function withoutNulls(values: Record<string, WarehouseValue>): Record<string, WarehouseValue> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null))
}
