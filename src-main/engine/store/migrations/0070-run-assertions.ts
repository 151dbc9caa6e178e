import type { Database } from 'better-sqlite3'

// Each run keeps how many assertions were checked against it and how many failed, for the Runs screen.
export default function up(db: Database): void {
  db.exec(`
    ALTER TABLE test_runs ADD COLUMN assertions INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE test_runs ADD COLUMN failed_assertions INTEGER NOT NULL DEFAULT 0;
  `)
}
