// The PostgreSQL warehouse destination (issue #9): Segment's warehouse schema in a real database. The contract
// between the engine, the renderer and config files.

/** Settings of a `warehouse` destination. The password is a secret (sealed at rest, masked by the admin API). */
export interface WarehouseSettings {
  host: string
  /** Default 5432. */
  port?: number
  database: string
  user: string
  password?: string
  /** libpq's sslmode subset: `disable` (default on loopback), `require`, `verify-full`. */
  sslMode?: 'disable' | 'require' | 'verify-full'
  /**
   * The schema each source loads into, by source id; a source not named here gets its name in Segment's form
   * (snake_case, e.g. "Checkout Web" → `checkout_web`).
   */
  schemas?: Record<string, string>
  /** Seconds between loads (Segment loads on a schedule; default 60). "Sync now" loads at once. */
  loadIntervalSeconds?: number
}

/** POST /api/warehouse/test — the connection test the UI runs before saving (and the API runs on save). */
export interface WarehouseTestResult {
  ok: boolean
  /** e.g. `PostgreSQL 15.8` */
  serverVersion: string | null
  error: string | null
  /** The settings field the error is about (`host`, `password`, `database`, …). */
  field: string | null
}

export interface WarehouseColumn {
  name: string
  /** PostgreSQL type as the warehouse has it: `text`, `double precision`, `bigint`, `boolean`, `timestamp with time zone`. */
  type: string
}

export interface WarehouseTable {
  schema: string
  name: string
  /** Rows now (exact count). */
  rows: number
  columns: WarehouseColumn[]
  /** The last load that wrote to this table. */
  lastLoadAt: string | null
  lastLoadRows: number | null
  lastError: string | null
}

/** A value whose type differs from its column's: kept in `<column>_text`, recorded here. */
export interface WarehouseTypeConflict {
  schema: string
  table: string
  column: string
  columnType: string
  valueType: string
  count: number
  lastSeen: string
}

/** GET /api/destinations/:id/warehouse — per-table status, the schema browser, and how to connect with psql. */
export interface WarehouseStatus {
  destinationId: number
  reachable: boolean
  error: string | null
  tables: WarehouseTable[]
  conflicts: WarehouseTypeConflict[]
  /** Ready to copy, without the password: `psql "host=127.0.0.1 port=5432 dbname=analytics user=loupe"` */
  psql: string
  /** When the next scheduled load is due (null while idle with nothing to load). */
  nextLoadAt: string | null
}
