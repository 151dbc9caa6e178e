import { statSync } from 'node:fs'

/** The database file plus its WAL: what the data dir really holds. */
export function databaseBytes(dbPath: string): number {
  let bytes = 0
  for (const file of [dbPath, `${dbPath}-wal`]) {
    try {
      bytes += statSync(file).size
    } catch {
      // no WAL right after a checkpoint
    }
  }
  return bytes
}
