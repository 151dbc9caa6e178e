import type { Database } from 'better-sqlite3'

// Routing: destinations, which sources feed them, and what every delivery attempt did.
// Nothing here is written at ingest: each destination reads the events log from its own cursor
// (consumer_cursors 'destination:<id>') and records an attempt and its new cursor in one transaction.
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE destinations (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      kind TEXT NOT NULL,
      settings TEXT NOT NULL,
      enabled INTEGER NOT NULL DEFAULT 1,
      created_at INTEGER NOT NULL
    ) STRICT;

    -- A connection delivers the source's events with ids above from_event_id: a new one starts from "now",
    -- history goes through replay.
    CREATE TABLE connections (
      destination_id INTEGER NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
      source_id INTEGER NOT NULL REFERENCES sources (id) ON DELETE CASCADE,
      from_event_id INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (destination_id, source_id)
    ) STRICT;

    -- One row per send (or per run of events that were all filtered out). The event id range is what the
    -- cursor moved over; filtered_ids lists the events of that range that were not sent, and why.
    CREATE TABLE delivery_attempts (
      id INTEGER PRIMARY KEY,
      destination_id INTEGER NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
      at INTEGER NOT NULL,
      duration_ms INTEGER NOT NULL,
      outcome TEXT NOT NULL,
      http_status INTEGER,
      error TEXT,
      first_event_id INTEGER NOT NULL,
      last_event_id INTEGER NOT NULL,
      sent INTEGER NOT NULL,
      filtered TEXT,
      request_sample TEXT,
      response_sample TEXT
    ) STRICT;
    CREATE INDEX delivery_attempts_destination ON delivery_attempts (destination_id, id);
    -- "Which attempt covered event N?" for per-event delivery status.
    CREATE INDEX delivery_attempts_range ON delivery_attempts (destination_id, last_event_id);

    -- Events that failed on their own (the destination refused them) or ran out of retry time.
    CREATE TABLE delivery_failures (
      destination_id INTEGER NOT NULL REFERENCES destinations (id) ON DELETE CASCADE,
      event_id INTEGER NOT NULL,
      reason TEXT NOT NULL,
      attempt_id INTEGER NOT NULL,
      failed_at INTEGER NOT NULL,
      PRIMARY KEY (destination_id, event_id)
    ) STRICT, WITHOUT ROWID;
  `)
}
