import type { Database } from 'better-sqlite3'

// Validation at ingest (issue #5). Three columns on events, written in the same INSERT as the event:
//  - violations: how many the plan found (0 = clean or not validated), for list badges and filters;
//  - quarantine: 0 = never blocked, -1 = held (destinations skip it), n > 0 = released by quarantine_releases n;
//  - protocols: what delivery does with it (Segment's context.protocols, plus the pointers to omit), or NULL.
// Partial indexes cover only the rare rows they name, so clean traffic pays nothing for them.
// event_violations keeps one row per violation, keyed by event id: id ranges are time ranges
// (store/time-bounds.ts), so grouped reports over 1 h / 24 h / 7 d walk the key, and retention's deletes
// cascade to it.
export default function up(db: Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN violations INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN quarantine INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE events ADD COLUMN protocols TEXT;
    CREATE INDEX events_with_violations ON events (id) WHERE violations > 0;
    CREATE INDEX events_held ON events (source_id, id) WHERE quarantine = -1;
    CREATE TABLE event_violations (
      event_id INTEGER NOT NULL REFERENCES events (id) ON DELETE CASCADE,
      seq INTEGER NOT NULL,
      source_id INTEGER NOT NULL,
      received_at INTEGER NOT NULL,
      type TEXT NOT NULL,
      name TEXT,
      kind TEXT NOT NULL,
      pointer TEXT NOT NULL,
      expected TEXT,
      actual TEXT,
      message TEXT NOT NULL,
      plan_id INTEGER NOT NULL,
      plan_version INTEGER NOT NULL,
      PRIMARY KEY (event_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE quarantine_releases (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source_id INTEGER NOT NULL,
      at INTEGER NOT NULL,
      count INTEGER NOT NULL
    );
    -- Held events that retention deleted before anyone released them, per source (never silently).
    CREATE TABLE quarantine_expired (
      source_id INTEGER PRIMARY KEY,
      count INTEGER NOT NULL,
      last_at INTEGER NOT NULL
    );
    ALTER TABLE sources ADD COLUMN enforcement TEXT;
  `)
}
