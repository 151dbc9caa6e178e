import type { Database } from 'better-sqlite3'

// QA mode: test runs. A run owns a source of its own (write key `wk_run_<id>`) and may open a capture window
// over other sources. Membership is not written per event: it is derived at query time from the run's source,
// the window's sources and times, and `context.loupe.runId` in the payload (found through the full-text index),
// so ingest pays nothing for runs.
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE test_runs (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      source_id INTEGER NOT NULL,
      window_source_ids TEXT NOT NULL DEFAULT '[]',
      started_at INTEGER NOT NULL,
      ended_at INTEGER
    ) STRICT;
  `)
}
