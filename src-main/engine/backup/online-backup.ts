// A consistent copy of a live database with SQLite's online backup API (better-sqlite3 `db.backup`).
// It copies in steps so the engine keeps answering meanwhile; a write by another connection between two
// steps restarts the copy, so under steady ingest it falls back to copying everything in one step (one
// read snapshot), which cannot be interrupted.

import type { Database } from 'better-sqlite3'
import { chmodSync } from 'node:fs'

const PAGES_PER_STEP = 2000
const RESTARTS_BEFORE_ONE_STEP = 3
const ALL_PAGES = 0x7fffffff

export async function backupDatabase(db: Database, target: string): Promise<void> {
  let previousRemaining = Infinity
  let restarts = 0
  await db.backup(target, {
    progress({ remainingPages }) {
      if (remainingPages > previousRemaining) restarts++
      previousRemaining = remainingPages
      return restarts >= RESTARTS_BEFORE_ONE_STEP ? ALL_PAGES : PAGES_PER_STEP
    }
  })
  // It holds every event: owner-only, like the database it copies.
  chmodSync(target, 0o600)
}

/** `loupe-backup-2026-11-28T10-15-00Z.db`: sortable, and valid on every file system. */
export function backupFileName(now = new Date()): string {
  return `loupe-backup-${now.toISOString().replace(/\.\d+Z$/, 'Z').replace(/:/g, '-')}.db`
}
