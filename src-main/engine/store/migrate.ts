// Versioned, transactional migrations recorded in PRAGMA user_version.
// A database written by a newer Loupe is refused, and an existing database is backed up before it changes.

import type { Database } from 'better-sqlite3'
import { MIGRATIONS, type Migration } from './migrations/index'

export class DatabaseTooNewError extends Error {
  constructor(readonly found: number, readonly supported: number) {
    super(`This database has schema version ${found}, but this Loupe supports up to ${supported}. Upgrade Loupe or use another --data-dir.`)
  }
}

export function schemaVersion(db: Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

/** Migrations still to run, after checking the database is not from the future. */
export function pendingMigrations(db: Database, migrations: readonly Migration[] = MIGRATIONS): Migration[] {
  const current = schemaVersion(db)
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0
  if (current > latest) throw new DatabaseTooNewError(current, latest)
  return migrations.filter((m) => m.version > current)
}

/** Runs every pending migration in one transaction: all of them apply, or none. */
export function runMigrations(db: Database, pending: readonly Migration[]): void {
  if (pending.length === 0) return
  db.transaction(() => {
    for (const migration of pending) {
      migration.up(db)
      db.pragma(`user_version = ${migration.version}`)
    }
  })()
}

