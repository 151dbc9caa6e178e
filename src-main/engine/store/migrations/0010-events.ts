import type { Database } from 'better-sqlite3'

// The first schema: sources, the events log, and the derived search index.
//
// Indexes on the events table cost every insert. Keys that grow in order (ids, time-prefixed messageIds)
// or have few distinct leading values (source, type) touch a few hot pages per commit and cost little;
// keys with many distinct values (user ids, anonymous ids, names) scatter writes over the whole index and
// cut ingest throughput by half or more (bench/RESULTS.md, "Choosing indexes"). So the events table keeps
// only the first kind; lookups by user, anonymous id and name go through `event_keys`, and free text
// through `events_fts`, both built after commit by the search indexer, a log consumer with its own cursor
// (DESIGN.md "The events table is the log").
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE sources (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      write_key TEXT NOT NULL UNIQUE,
      auto_created INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL,
      event_count INTEGER NOT NULL DEFAULT 0,
      last_seen_at INTEGER
    ) STRICT;

    -- AUTOINCREMENT: ids are log positions that consumers keep as cursors, so they are never reused,
    -- even after retention empties the table.
    -- No foreign key to sources: a deleted source's events are purged in chunks, not by one cascade.
    CREATE TABLE events (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      source_id INTEGER NOT NULL,
      type TEXT NOT NULL,
      name TEXT,
      user_id TEXT,
      anonymous_id TEXT,
      message_id TEXT NOT NULL,
      message_id_generated INTEGER NOT NULL DEFAULT 0,
      received_at INTEGER NOT NULL,
      timestamp INTEGER NOT NULL,
      original_timestamp INTEGER,
      sent_at INTEGER,
      size INTEGER NOT NULL,
      warnings TEXT,
      payload TEXT NOT NULL
    ) STRICT;

    -- Dedupe: (source, messageId) is unique. messageId first so a lookup by messageId alone uses it too.
    CREATE UNIQUE INDEX events_message_id ON events (message_id, source_id);
    -- Newest-first lists of one source or one call type, however rare; routing reads a source's events too.
    CREATE INDEX events_source ON events (source_id, id);
    CREATE INDEX events_type ON events (type, id);

    -- Small engine facts, e.g. 'received_at_disorder_ms' (see time-bounds.ts).
    CREATE TABLE meta (
      key TEXT PRIMARY KEY,
      value INTEGER NOT NULL
    ) STRICT;

    CREATE TABLE consumer_cursors (
      name TEXT PRIMARY KEY,
      position INTEGER NOT NULL
    ) STRICT;

    -- Exact lookups: 'u:<userId>', 'a:<anonymousId>', 'n:<event or page name>'.
    CREATE TABLE event_keys (
      key TEXT NOT NULL,
      event_id INTEGER NOT NULL,
      PRIMARY KEY (key, event_id)
    ) STRICT, WITHOUT ROWID;

    -- Prefix indexes for 2-4 characters: free text treats the last word as a prefix (word-match.ts), and
    -- short prefixes of common words would otherwise merge huge doclists (15-30 ms -> 0.2 ms per query).
    CREATE VIRTUAL TABLE events_fts USING fts5(body, content='', contentless_delete=1, prefix='2 3 4');

    CREATE TRIGGER events_after_delete AFTER DELETE ON events BEGIN
      DELETE FROM events_fts WHERE rowid = old.id;
      DELETE FROM event_keys WHERE event_id = old.id AND key IN ('u:' || old.user_id, 'a:' || old.anonymous_id, 'n:' || old.name);
    END;
  `)
}
