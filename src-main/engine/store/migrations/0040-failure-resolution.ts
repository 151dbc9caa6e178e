import type { Database } from 'better-sqlite3'

// A failed event stays on record once dealt with: 'delivered' by a retry, or 'discarded' by the user, so its
// per-event status keeps telling what happened.
export default function up(db: Database): void {
  db.exec('ALTER TABLE delivery_failures ADD COLUMN resolved TEXT')
}
