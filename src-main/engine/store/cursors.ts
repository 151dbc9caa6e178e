import type { Database } from 'better-sqlite3'

/** Durable positions of log consumers (the last event id each has dealt with). */
export function readCursor(db: Database, name: string): number {
  const row = db.prepare('SELECT position FROM consumer_cursors WHERE name = ?').get(name) as { position: number } | undefined
  return row?.position ?? 0
}

export function cursorWriter(db: Database, name: string): (position: number) => void {
  const stmt = db.prepare('INSERT INTO consumer_cursors (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position')
  return (position) => void stmt.run(name, position)
}
