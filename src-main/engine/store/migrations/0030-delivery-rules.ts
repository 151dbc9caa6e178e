import type { Database } from 'better-sqlite3'

// Delivery rules and replay: per destination its filters (Segment's destination filters, FQL), the consent
// categories it needs and its pacing; replay jobs that send a chosen range of history to one destination with
// their own cursor; and which attempts belong to a replay (same delivery log, told apart).
export default function up(db: Database): void {
  db.exec(`
    ALTER TABLE destinations ADD COLUMN filters TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE destinations ADD COLUMN consent_categories TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE destinations ADD COLUMN limits TEXT NOT NULL DEFAULT '{}';
    ALTER TABLE delivery_attempts ADD COLUMN replay_id INTEGER;

    -- A replay walks event ids (cursor, upper_event_id] of its selection; upper_event_id is fixed when it is
    -- created so a replay of "everything" ends.
    CREATE TABLE replay_jobs (
      id INTEGER PRIMARY KEY,
      destination_id INTEGER NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
      selection TEXT NOT NULL,
      state TEXT NOT NULL,
      cursor INTEGER NOT NULL,
      upper_event_id INTEGER NOT NULL,
      total INTEGER NOT NULL DEFAULT 0,
      processed INTEGER NOT NULL DEFAULT 0,
      delivered INTEGER NOT NULL DEFAULT 0,
      filtered INTEGER NOT NULL DEFAULT 0,
      failed INTEGER NOT NULL DEFAULT 0,
      error TEXT,
      created_at INTEGER NOT NULL,
      finished_at INTEGER
    ) STRICT;
    CREATE INDEX delivery_attempts_replay ON delivery_attempts (replay_id) WHERE replay_id IS NOT NULL;
  `)
}
