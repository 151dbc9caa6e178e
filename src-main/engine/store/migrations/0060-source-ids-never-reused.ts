import type { Database } from 'better-sqlite3'

// Source ids are never reused. The sources table has no AUTOINCREMENT, so deleting the newest source made its
// id the next one's: a test run, a fault rule or a background purge still pointing at the old id would then
// reach the new source's events. The largest id ever given is kept in meta (by a trigger, whoever inserts) and
// new sources are numbered after it (writer-worker.ts).
export default function up(db: Database): void {
  db.exec(`
    INSERT INTO meta (key, value) VALUES ('max_source_id', (SELECT coalesce(max(id), 0) FROM sources))
      ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value);
    CREATE TRIGGER sources_remember_max_id AFTER INSERT ON sources BEGIN
      INSERT INTO meta (key, value) VALUES ('max_source_id', NEW.id)
        ON CONFLICT (key) DO UPDATE SET value = max(value, excluded.value);
    END;
  `)
}
