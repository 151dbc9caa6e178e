// `loupe restore`: replaces a data dir's database with a backup. The caller holds the data dir's lock (no
// engine runs). The file must be a sound Loupe database no newer than this Loupe; the current database is
// kept next to it as `loupe.db.before-restore-<time>`. An older schema is migrated at the next start (with
// its own backup first), as any older database is.

import Database from 'better-sqlite3'
import { chmodSync, copyFileSync, existsSync, linkSync, renameSync, rmSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { DB_FILE } from '../index'
import { LATEST_VERSION } from '../store/migrations/index'
import { DataDirAccessError } from './data-dir-access'

export interface RestoreResult {
  /** Where the database that was replaced now is (null if the data dir had none). */
  previous: string | null
  schemaVersion: number
}

const REQUIRED_TABLES = ['events', 'sources']

/** Throws a DataDirAccessError saying what is wrong with the file, or returns its schema version. */
export function checkBackupFile(file: string): number {
  if (!existsSync(file)) throw new DataDirAccessError(`${file}: no such file.`)
  let db: Database.Database
  try {
    db = new Database(file, { readonly: true, fileMustExist: true })
  } catch (error) {
    throw new DataDirAccessError(`${file} is not a SQLite database (${(error as Error).message}).`)
  }
  try {
    let check: unknown
    try {
      check = db.pragma('quick_check', { simple: true })
    } catch (error) {
      throw new DataDirAccessError(`${file} is not a SQLite database (${(error as Error).message}).`)
    }
    if (check !== 'ok') throw new DataDirAccessError(`${file} failed its integrity check (${String(check)}); it was not restored.`)
    const version = db.pragma('user_version', { simple: true }) as number
    const tables = new Set((db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]))
    if (version === 0 || !REQUIRED_TABLES.every((t) => tables.has(t))) throw new DataDirAccessError(`${file} is a SQLite database, but not a Loupe database.`)
    if (version > LATEST_VERSION) throw new DataDirAccessError(`${file} has schema version ${version}, but this Loupe supports up to ${LATEST_VERSION}: restore it with a newer Loupe.`)
    return version
  } finally {
    db.close()
  }
}

export async function restoreDatabase(dataDir: string, file: string, now = new Date()): Promise<RestoreResult> {
  const target = join(dataDir, DB_FILE)
  if (resolve(file) === resolve(target)) throw new DataDirAccessError(`${file} is the data dir's own database; restore from a backup file.`)
  const schemaVersion = checkBackupFile(file)

  // Copied with SQLite's backup API rather than the file system: the copy is a whole database even if the
  // file still has a WAL beside it, and it is written next to the target so the final rename is atomic.
  const incoming = `${target}.restoring`
  rmSync(incoming, { force: true })
  const source = new Database(file, { readonly: true, fileMustExist: true })
  try {
    await source.backup(incoming)
  } finally {
    source.close()
  }
  chmodSync(incoming, 0o600)

  let previous: string | null = null
  if (existsSync(target)) {
    foldWal(target)
    previous = `${target}.before-restore-${now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}`
    // A second name for the current file, then one atomic rename over it: a crash at any point leaves a
    // complete loupe.db (the old one or the restored one), never none.
    try {
      linkSync(target, previous)
    } catch {
      copyFileSync(target, previous) // a file system without hard links
    }
  }
  for (const leftover of [`${target}-wal`, `${target}-shm`]) rmSync(leftover, { force: true })
  renameSync(incoming, target)
  return { previous, schemaVersion }
}

/** An engine stopped by kill -9 leaves its last commits in the WAL: fold them in before the file is moved. */
function foldWal(file: string): void {
  if (!existsSync(`${file}-wal`)) return
  const db = new Database(file, { fileMustExist: true })
  try {
    db.pragma('wal_checkpoint(TRUNCATE)')
  } finally {
    db.close()
  }
}
