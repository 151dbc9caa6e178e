// Reading a data dir whose engine is not running (the caller holds its lock): the database opened
// read-only, and destination secrets opened with the data dir's key file where possible.

import Database from 'better-sqlite3'
import type { Database as DB } from 'better-sqlite3'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { DB_FILE } from '../index'
import { DestinationSecrets } from '../secrets/destination-secrets'
import { KeyFileSecretStore } from '../secrets/key-file-store'
import { SecretCache } from '../secrets/secret-cache'
import { DestinationReads, type DestinationRow } from '../store/destinations'
import { DataDirAccessError } from './data-dir-access'
import type { TrackingPlan } from '../../../src-shared/plans'
import { PlanReads } from '../store/plans'
import { parseEnforcement } from '../protocols/ingest-validation'
import type { SourceEnforcement } from '../../../src-shared/enforcement'

export function openReadOnly(dataDir: string): DB {
  const file = join(dataDir, DB_FILE)
  if (!existsSync(file)) throw new DataDirAccessError(`There is no Loupe database in ${dataDir} (no ${DB_FILE}).`)
  return new Database(file, { readonly: true, fileMustExist: true })
}

export interface StoredConfig {
  sources: { id: number; name: string; writeKey: string; enforcement: SourceEnforcement | null }[]
  destinations: DestinationRow[]
  plans: TrackingPlan[]
}

/** Sources and destinations as stored; a secret whose key is missing stays sealed (it is exported as a reference anyway). */
export async function readStoredConfig(db: DB, dataDir: string): Promise<StoredConfig> {
  // A database from before validation at ingest (opened read-only, not migrated) has no enforcement column.
  const hasEnforcement = (db.prepare("SELECT count(*) FROM pragma_table_info('sources') WHERE name = 'enforcement'").pluck().get() as number) > 0
  const rows = db.prepare(`SELECT id, name, write_key AS writeKey${hasEnforcement ? ', enforcement' : ''} FROM sources ORDER BY id`).all() as { id: number; name: string; writeKey: string; enforcement?: string | null }[]
  const sources = rows.map(({ enforcement, ...s }) => ({ ...s, enforcement: enforcement ? parseEnforcement(enforcement) : null }))
  const reads = new DestinationReads(db)
  const store = new KeyFileSecretStore(dataDir)
  const secrets = new DestinationSecrets(store, new SecretCache(store))
  await secrets.load(reads.list())
  reads.openSettings = (kind, settings) => secrets.open(kind, settings)
  // A database from before tracking plans (opened read-only, not migrated) has no plan tables.
  const hasPlans = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'tracking_plans'").get() !== undefined
  return { sources, destinations: reads.list(), plans: hasPlans ? new PlanReads(db).list() : [] }
}
