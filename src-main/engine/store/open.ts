// Opens the one SQLite file of a data dir: pragmas per DESIGN.md "Storage", an integrity check,
// then migrations (with a backup first when an existing database is about to change).

import Database from 'better-sqlite3'
import type { Database as DB } from 'better-sqlite3'
import { chmodSync, existsSync } from 'node:fs'
import type { Durability } from '../config'
import { pendingMigrations, runMigrations, schemaVersion } from './migrate'

export class DatabaseCorruptError extends Error {
  constructor(readonly file: string, readonly detail: string) {
    super(`The database ${file} failed its integrity check (${detail}). Loupe did not change it; restore a backup or move it aside.`)
  }
}

export interface OpenOptions {
  durability: Durability
  /** Path of an Electron-ABI better-sqlite3 build, when running inside Electron. */
  nativeBinding?: string
}

export interface OpenedDatabase {
  db: DB
  /** Path of the backup taken before migrating, if one was needed. */
  backupPath: string | null
}

export async function openDatabase(file: string, options: OpenOptions): Promise<OpenedDatabase> {
  const existed = existsSync(file)
  const db = new Database(file, { timeout: 5000, nativeBinding: options.nativeBinding })
  // Owner-only, like the data dir; SQLite gives the -wal and -shm files the database file's mode.
  chmodSync(file, 0o600)
  try {
    applyPragmas(db, options.durability, 16) // this connection reads; the store thread's writer has its own cache
    const check = db.pragma('quick_check', { simple: true })
    if (check !== 'ok') throw new DatabaseCorruptError(file, String(check))

    const pending = pendingMigrations(db)
    let backupPath: string | null = null
    if (existed && pending.length > 0 && schemaVersion(db) > 0) {
      backupPath = `${file}.v${schemaVersion(db)}-${new Date().toISOString().replace(/[:.]/g, '-')}.bak`
      await db.backup(backupPath)
    }
    runMigrations(db, pending)
    return { db, backupPath }
  } catch (error) {
    db.close()
    throw error
  }
}

/** The settings every connection to the events database uses (DESIGN.md "Storage"). */
export function applyPragmas(db: DB, durability: Durability, cacheMb: number): void {
  db.pragma('journal_mode = WAL')
  // NORMAL in WAL mode: a commit survives a crash of Loupe; FULL also survives power loss.
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`)
  db.pragma('foreign_keys = ON')
  db.pragma(`cache_size = -${cacheMb * 1024}`)
  db.pragma('temp_store = MEMORY')
}

/** Shutdown routine: fold the WAL back into the database so the data dir is one file at rest. */
export function closeDatabase(db: DB): void {
  if (!db.open) return
  db.pragma('optimize')
  db.pragma('wal_checkpoint(TRUNCATE)')
  db.close()
}
