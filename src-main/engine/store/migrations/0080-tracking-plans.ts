import type { Database } from 'better-sqlite3'

// Tracking plans (issue #5): a plan's rules are kept per version, never edited in place, so any two versions
// can be diffed. Plan ids are AUTOINCREMENT: validators are cached by (plan id, version), and a deleted plan's
// id handed out again would pick up its stale validator. A source has at most one plan (the primary key);
// deleting either side drops the connection.
export default function up(db: Database): void {
  db.exec(`
    CREATE TABLE tracking_plans (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL,
      description TEXT NOT NULL DEFAULT '',
      version INTEGER NOT NULL,
      created_at INTEGER NOT NULL,
      updated_at INTEGER NOT NULL
    );
    CREATE TABLE tracking_plan_versions (
      plan_id INTEGER NOT NULL REFERENCES tracking_plans (id) ON DELETE CASCADE,
      version INTEGER NOT NULL,
      rules TEXT NOT NULL,
      note TEXT,
      created_at INTEGER NOT NULL,
      PRIMARY KEY (plan_id, version)
    );
    CREATE TABLE source_plans (
      source_id INTEGER PRIMARY KEY REFERENCES sources (id) ON DELETE CASCADE,
      plan_id INTEGER NOT NULL REFERENCES tracking_plans (id) ON DELETE CASCADE
    );
    CREATE INDEX source_plans_by_plan ON source_plans (plan_id);
  `)
}
