import type { Database } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'

// Privacy (issue #6). PII found at ingest is kept on the event it was found in (`pii`: JSON of
// [pointer, matcher] — never a value; samples are masked from the payload when shown; '' when scanned and nothing was found; NULL when never
// scanned; no index: browser events nearly all carry an IP, so one would cost every insert and select little),
// written in the event's own INSERT, so findings go
// wherever the event goes (retention, clears, deletions). `pii_inventory` aggregates them per source, field
// and matcher (no values at all). Suppressions and the deletion audit keep ids only as SHA-256 hashes.
// The 'salt' salts the pseudonymising hash (hash_salted) — one per data dir, like a workspace's.
export default function up(db: Database): void {
  db.exec(`
    ALTER TABLE events ADD COLUMN pii TEXT;
    CREATE TABLE pii_inventory (
      source_id INTEGER NOT NULL,
      path TEXT NOT NULL,
      matcher TEXT NOT NULL,
      count INTEGER NOT NULL,
      first_seen INTEGER NOT NULL,
      last_seen INTEGER NOT NULL,
      triaged INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (source_id, path, matcher)
    ) WITHOUT ROWID;
    ALTER TABLE sources ADD COLUMN privacy TEXT;
    ALTER TABLE destinations ADD COLUMN privacy TEXT;
    CREATE TABLE suppressions (
      kind TEXT NOT NULL,
      id_hash TEXT NOT NULL,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (kind, id_hash)
    ) WITHOUT ROWID;
    -- 'salt' and 'settings' (PrivacySettings as JSON); meta holds integers only.
    CREATE TABLE privacy_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    CREATE TABLE deletions (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      kind TEXT NOT NULL,
      id_hash TEXT NOT NULL,
      state TEXT NOT NULL,
      requested_at INTEGER NOT NULL,
      finished_at INTEGER,
      events INTEGER NOT NULL DEFAULT 0,
      delivery_samples INTEGER NOT NULL DEFAULT 0,
      archive_lines INTEGER NOT NULL DEFAULT 0,
      warehouse_rows INTEGER NOT NULL DEFAULT 0,
      error TEXT
    );
  `)
  db.prepare("INSERT INTO privacy_state (key, value) VALUES ('salt', ?)").run(randomBytes(32).toString('hex'))
}
