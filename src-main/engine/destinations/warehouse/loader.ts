// One load: a batch of delivered events → rows of Segment's warehouse schema (flatten.ts), written per table
// through a staging table and upserted by `id` (messageId; userId for `users`), so retries and replays never
// duplicate a row. New columns are added before the load's transaction (DDL outside it: a failed load must not
// leave the column cache believing in columns that were rolled back); the rows, the per-table load record and
// the type conflicts commit together. Every identifier goes through quoteIdent: event names and property keys
// are attacker-controlled; values travel as COPY data (copy-text.ts escapes them), never in the SQL text.

import type { WarehouseTypeConflict } from '../../../../src-shared/warehouse'
import type pg from 'pg'
import { conflictColumn, fit, typeFor, valueType, type ColumnType } from './columns'
import { copyIn } from './copy-in'
import { copyChunks } from './copy-text'
import { flattenEvent, type WarehouseValue } from './flatten'
import { quoteIdent } from './naming'

/** Loupe's own bookkeeping in the warehouse, beside the source schemas (visible to psql users too). */
/** Staging tables kept per connection (least recently used dropped first). */
const MAX_STAGES = 64

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
  /** Values left out because another key of the event has the same column name. */
  shadowedValues: number
  /** Values that fitted neither their column nor its text twin (a property that is literally called `x_text`). */
  droppedValues: number
}

interface TableBatch {
  schema: string
  table: string
  rows: Map<string, Record<string, WarehouseValue>>
  /** Every column of this batch's rows: the type of its first non-null value, or null while only nulls were seen. */
  types: Map<string, ColumnType | null>
}

/** A staging table: its quoted name and the target's columns when it was made. */
interface Stage {
  name: string
  shape: string
}

/** A table's rows ready to send: the columns written and the rows as COPY text in that column order. */
interface Encoded {
  columns: string[]
  chunks: Buffer[]
}

/** A conflict as one load counts it (the status adds when it was last seen). */
type Conflict = Omit<WarehouseTypeConflict, 'lastSeen'>

export class WarehouseLoader {
  /** Known columns per "schema.table" (name → type), read from information_schema once, then kept current. */
  private readonly columns = new Map<string, Map<string, string>>()
  private readonly schemas = new Set<string>()
  /** Per connection, the staging table of each target table and the target's columns when it was made. */
  private readonly stages = new WeakMap<pg.PoolClient, Map<string, Stage>>()
  private stageCount = 0
  /** The last creation of a schema or table (see create): the next one starts when it is done. */
  private creating: Promise<unknown> = Promise.resolve()
  private metaReady = false

  constructor(private readonly pool: pg.Pool) {}

  async load(events: Record<string, unknown>[], schemaOf: (index: number) => string): Promise<LoadSummary> {
    const loadedAt = new Date().toISOString()
    const batches = new Map<string, TableBatch>()
    let droppedColumns = 0
    let shadowedValues = 0
    events.forEach((event, index) => {
      const schema = schemaOf(index)
      for (const row of flattenEvent(event, loadedAt)) {
        droppedColumns += row.dropped
        shadowedValues += row.shadowed
        const id = row.values.id
        if (typeof id !== 'string' || id === '') continue
        const key = `${schema}.${row.table}`
        let batch = batches.get(key)
        if (!batch) batches.set(key, (batch = { schema, table: row.table, rows: new Map(), types: new Map() }))
        // One row per id in a statement (an upsert cannot touch a row twice); for users the newer traits are
        // merged over the older ones, elsewhere the later copy of a message wins.
        // (flattenEvent's rows are fresh objects: kept as they are, prepareTable fits them in place.)
        const previous = batch.rows.get(id)
        batch.rows.set(id, row.table === 'users' && previous ? mergeUser(previous, row.values) : row.values)
        const { values } = row
        for (const column in values) {
          const value = values[column]!
          const seen = batch.types.get(column)
          if (seen === undefined || (seen === null && value !== null)) batch.types.set(column, value === null ? null : typeFor(column, value))
        }
      }
    })

    const client = await this.pool.connect()
    try {
      const conflicts: Conflict[] = []
      // Only the first loads take turns for it: afterwards a creation stuck on a lock holds up no load.
      if (!this.metaReady) await this.create(() => this.ensureMeta(client))
      let droppedValues = 0
      for (const batch of batches.values()) droppedValues += await this.prepareTable(client, batch, conflicts)
      await client.query('BEGIN')
      try {
        const tables: TableLoad[] = []
        // Each table's rows become COPY text while PostgreSQL works on the table before (two cores instead of one
        // taking turns); the statements themselves still go one at a time.
        let previous: Promise<void> = Promise.resolve()
        for (const batch of batches.values()) {
          const rows = this.rowsOf(batch)
          await previous
          previous = this.upsert(client, batch, rows)
          tables.push({ schema: batch.schema, table: batch.table, rows: batch.rows.size })
        }
        await previous
        await this.record(client, tables, conflicts)
        await client.query('COMMIT')
        return { events: events.length, tables, conflicts: conflicts.reduce((sum, c) => sum + c.count, 0), droppedColumns, shadowedValues, droppedValues }
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined)
        throw error
      }
    } catch (error) {
      // A failed statement may mean the cache is wrong (a table dropped by hand): read the catalogue again next time.
      this.columns.clear()
      this.schemas.clear()
      // Staging tables created in a rolled-back transaction are gone: this connection makes them afresh.
      this.stages.delete(client)
      throw error
    } finally {
      client.release()
    }
  }

  /**
   * Runs schema and table creations one at a time: two loads in flight running `CREATE … IF NOT EXISTS` of one
   * name can both miss the other, and one then fails on the catalogue's unique index (the first loads of a new
   * schema). Only creations take turns, so a load waiting on a lock elsewhere (an ALTER behind an analyst's
   * open transaction) holds up no other table's load.
   */
  private create<T>(work: () => Promise<T>): Promise<T> {
    const run = this.creating.then(work)
    this.creating = run.catch(() => undefined)
    return run
  }

  /** Creates the schema, table and missing columns; moves values that do not fit their column to its text twin. */
  private async prepareTable(client: pg.PoolClient, batch: TableBatch, conflicts: Conflict[]): Promise<number> {
    const { schema, table } = batch
    const name = `${quoteIdent(schema)}.${quoteIdent(table)}`
    if (!this.schemas.has(schema)) {
      await this.create(() => client.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)}`))
      this.schemas.add(schema)
    }
    let known = this.columns.get(`${schema}.${table}`)
    if (!known) {
      const rows = await this.create(async () => {
        await client.query(`CREATE TABLE IF NOT EXISTS ${name} (id text PRIMARY KEY)`)
        return (await client.query<{ column_name: string; data_type: string }>('SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = $1 AND table_name = $2', [schema, table])).rows
      })
      // Another load may have read the table while this one waited its turn: its map (kept current) wins.
      known = this.columns.get(`${schema}.${table}`) ?? new Map(rows.map((r) => [r.column_name, r.data_type]))
      this.columns.set(`${schema}.${table}`, known)
    }
    // Columns are added without taking turns: concurrent `ADD COLUMN IF NOT EXISTS` queue on the table's lock.
    const add = async (column: string, type: string): Promise<void> => {
      await client.query(`ALTER TABLE ${name} ADD COLUMN IF NOT EXISTS ${quoteIdent(column)} ${type}`)
      known!.set(column, type)
    }
    for (const [column, type] of batch.types) if (type !== null && !known.has(column)) await add(column, type)

    let dropped = 0
    const counted = new Map<string, Conflict>()
    // Rows of a batch mostly share their times (received_at, sent_at of one request; uuid_ts of the load): the
    // last time that fitted is not parsed again.
    let lastTime: WarehouseValue = null
    for (const values of batch.rows.values()) {
      for (const column in values) {
        const value = values[column]!
        if (value === null || column === 'id') continue
        const type = known.get(column) as ColumnType
        if (value === lastTime && type === 'timestamp with time zone') continue
        const fitted = fit(type, value)
        if (fitted !== undefined) {
          if (fitted !== value) values[column] = fitted
          else if (type === 'timestamp with time zone') lastTime = value
          continue
        }
        // A type conflict: the value is kept as text beside its column, and counted.
        delete values[column]
        const twin = conflictColumn(column)
        if (!known.has(twin)) await add(twin, 'text')
        if (known.get(twin) === 'text') {
          values[twin] = typeof value === 'string' ? value : String(value)
          batch.types.set(twin, 'text')
        } else dropped++
        const key = `${column}\u0000${valueType(value)}`
        const conflict = counted.get(key) ?? { schema, table, column, columnType: type, valueType: valueType(value), count: 0 }
        conflict.count++
        counted.set(key, conflict)
      }
    }
    conflicts.push(...counted.values())
    return dropped
  }

  /**
   * The columns to write (those the table has: one that only ever got nulls is not created, as Segment creates
   * a column on its first non-null value, and its nulls need no writing) and the rows as COPY text in that
   * column order (a column a row lacks is null).
   */
  private rowsOf(batch: TableBatch): Encoded {
    const known = this.columns.get(`${batch.schema}.${batch.table}`)!
    const columns = [...batch.types.keys()].filter((column) => known.has(column))
    return { columns, chunks: copyChunks(batch.rows.values(), columns) }
  }

  private async upsert(client: pg.PoolClient, batch: TableBatch, { columns, chunks }: Encoded): Promise<void> {
    const target = `${quoteIdent(batch.schema)}.${quoteIdent(batch.table)}`
    const list = columns.map(quoteIdent).join(', ')
    const updates = columns.filter((c) => c !== 'id').map((c) => {
      const q = quoteIdent(c)
      // users: the latest traits (by received_at: a replay of older events can only fill gaps) merged over
      // what is known; a trait not sent keeps its value. uuid_ts is when the row was last loaded.
      if (batch.table !== 'users' || c === 'uuid_ts') return `${q} = EXCLUDED.${q}`
      const newer = `(${target}.received_at IS NULL OR EXCLUDED.received_at >= ${target}.received_at)`
      return `${q} = CASE WHEN ${newer} THEN COALESCE(EXCLUDED.${q}, ${target}.${q}) ELSE COALESCE(${target}.${q}, EXCLUDED.${q}) END`
    })
    const stage = await this.stageFor(client, batch)
    // COPY reads each field with the staging column's own input function, whatever type a column made by hand
    // has (with its length limit: an over-long varchar is refused, as an insert would refuse it, not cut);
    // a value that does not parse fails the load.
    await copyIn(client, `COPY ${stage.name} (${list}) FROM STDIN`, chunks)
    // In id order: two loads in flight lock the rows they share (users) in the same order, so they never deadlock.
    await client.query(`INSERT INTO ${target} (${list}) SELECT ${list} FROM ${stage.name} ORDER BY id ON CONFLICT (id) DO ${updates.length > 0 ? `UPDATE SET ${updates.join(', ')}` : 'NOTHING'}`)
  }

  /**
   * The table's staging table on this connection. It lives as long as the connection (a temp table emptied at
   * every commit): creating and dropping one per table and load cost more than filling it, and churned
   * PostgreSQL's catalogue. It is made again when the target gained columns since (LIKE copies the columns of
   * that moment).
   */
  private async stageFor(client: pg.PoolClient, batch: TableBatch): Promise<Stage> {
    const target = `${quoteIdent(batch.schema)}.${quoteIdent(batch.table)}`
    let stages = this.stages.get(client)
    if (!stages) this.stages.set(client, (stages = new Map()))
    const key = `${batch.schema}.${batch.table}`
    const shape = [...this.columns.get(key)!.keys()].join(',')
    const existing = stages.get(key)
    if (existing?.shape === shape) {
      // Most recently used last: the cap below drops the staging table unused the longest.
      stages.delete(key)
      stages.set(key, existing)
      return existing
    }
    // PostgreSQL empties every ON COMMIT DELETE ROWS table of a session at each commit: a connection keeps at
    // most MAX_STAGES of them (event tables are as many as clients' event names).
    if (!existing && stages.size >= MAX_STAGES) {
      const [oldKey, oldest] = stages.entries().next().value!
      stages.delete(oldKey)
      await client.query(`DROP TABLE IF EXISTS pg_temp.${oldest.name}`)
    }
    const name = existing?.name ?? quoteIdent(`__loupe_stage_${++this.stageCount}`)
    await client.query(`DROP TABLE IF EXISTS pg_temp.${name}`)
    await client.query(`CREATE TEMP TABLE ${name} (LIKE ${target}) ON COMMIT DELETE ROWS`)
    const stage: Stage = { name, shape }
    stages.set(key, stage)
    return stage
  }

  /**
   * A privacy deletion, in one transaction: the user's rows in the tables Loupe loaded (received before
   * `before`, epoch ms, when given) and, by userId, the `users` row. Returns the rows deleted.
   */
  async forgetUser(column: 'user_id' | 'anonymous_id', id: string, usersRow: boolean, before?: number): Promise<number> {
    // Rows keep received_at as loaded from the event: the same instant the deletion compares in Loupe.
    const received = before === undefined ? '' : ' AND received_at < $2'
    const params = (value: string): unknown[] => (before === undefined ? [value] : [value, new Date(before).toISOString()])
    const client = await this.pool.connect()
    try {
      const exists = (await client.query(`SELECT to_regclass('${META_SCHEMA}.table_loads') IS NOT NULL AS ok`)).rows[0]!.ok as boolean
      if (!exists) return 0
      const tables = (await client.query<{ schema_name: string; table_name: string }>(
        `SELECT l.schema_name, l.table_name FROM ${META_SCHEMA}.table_loads l JOIN information_schema.columns c
           ON c.table_schema = l.schema_name AND c.table_name = l.table_name AND c.column_name = $1`, [column]
      )).rows
      await client.query('BEGIN')
      let deleted = 0
      for (const t of tables) deleted += (await client.query(`DELETE FROM ${quoteIdent(t.schema_name)}.${quoteIdent(t.table_name)} WHERE ${quoteIdent(column)} = $1${received}`, params(id))).rowCount ?? 0
      // An alias names the user's earlier id too (aliases.previous_id).
      const aliases = (await client.query<{ schema_name: string }>(`SELECT schema_name FROM ${META_SCHEMA}.table_loads WHERE table_name = 'aliases'`)).rows
      for (const a of aliases) deleted += (await client.query(`DELETE FROM ${quoteIdent(a.schema_name)}.aliases WHERE previous_id = $1${received}`, params(id))).rowCount ?? 0
      if (usersRow) {
        const users = (await client.query<{ schema_name: string }>(`SELECT schema_name FROM ${META_SCHEMA}.table_loads WHERE table_name = 'users'`)).rows
        // The users row merges every identify's traits, the deleted ones' too: it goes whole (a later identify
        // makes it again, with what that one says).
        for (const u of users) deleted += (await client.query(`DELETE FROM ${quoteIdent(u.schema_name)}.users WHERE id = $1`, [id])).rowCount ?? 0
      }
      await client.query('COMMIT')
      return deleted
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined)
      throw error
    } finally {
      client.release()
    }
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

/** Two identifies of one user in a load: the later one's traits (by received_at) over the earlier one's. */
function mergeUser(previous: Record<string, WarehouseValue>, next: Record<string, WarehouseValue>): Record<string, WarehouseValue> {
  const older = typeof next.received_at === 'string' && typeof previous.received_at === 'string' && next.received_at < previous.received_at
  return older ? { ...previous, ...withoutNulls(next), ...withoutNulls(previous) } : { ...previous, ...withoutNulls(next) }
}

function withoutNulls(values: Record<string, WarehouseValue>): Record<string, WarehouseValue> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== null))
}
