import type { Database } from 'better-sqlite3'
import { randomBytes } from 'node:crypto'

// Identity resolution (issue #8). Everything here is derived from the events log by the identity consumer
// (identity/consumer.ts, in the store thread, with its own cursor): it can be wiped and rebuilt from history.
// Definitions (computed traits, audiences) and settings are not derived and survive a rebuild.
// A profile merged into another keeps its row with `merged_into`, so links to it keep working.
export default function up(db: Database): void {
  db.exec(`
    -- 'settings' (IdentitySettings JSON), 'rebuild_upto' (emission is quiet until the cursor passes it),
    -- 'audience_salt' (in the messageIds of audience events).
    CREATE TABLE identity_state (
      key TEXT PRIMARY KEY,
      value TEXT NOT NULL
    );
    -- AUTOINCREMENT: a rebuild numbers profiles anew, so an old link finds nothing rather than someone else.
    CREATE TABLE profiles (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      first_seen INTEGER NOT NULL,
      last_seen INTEGER NOT NULL,
      merged_into INTEGER
    );
    CREATE INDEX profiles_last_seen ON profiles (last_seen) WHERE merged_into IS NULL;
    -- A merge re-points the profiles merged into the one that goes; the profile page lists them.
    CREATE INDEX profiles_merged_into ON profiles (merged_into) WHERE merged_into IS NOT NULL;
    CREATE TABLE identities (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      value TEXT NOT NULL,
      profile_id INTEGER NOT NULL,
      first_event_id INTEGER NOT NULL,
      first_seen INTEGER NOT NULL,
      last_seen INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX identities_kind_value ON identities (kind, value);
    CREATE INDEX identities_value ON identities (value);
    CREATE INDEX identities_profile ON identities (profile_id, kind);
    -- Links between two identifiers (a < b), with the first event that carried both.
    CREATE TABLE identity_edges (
      a INTEGER NOT NULL,
      b INTEGER NOT NULL,
      event_id INTEGER NOT NULL,
      at INTEGER NOT NULL,
      refused INTEGER NOT NULL DEFAULT 0,
      PRIMARY KEY (a, b)
    ) WITHOUT ROWID;
    CREATE INDEX identity_edges_b ON identity_edges (b);
    -- The audit trail. A refusal or blocked value seen again counts on its first entry (dedupe).
    CREATE TABLE identity_log (
      id INTEGER PRIMARY KEY,
      kind TEXT NOT NULL,
      at INTEGER NOT NULL,
      event_id INTEGER NOT NULL,
      identity TEXT NOT NULL,
      other TEXT,
      from_profile INTEGER,
      into_profile INTEGER,
      reason TEXT NOT NULL,
      count INTEGER NOT NULL DEFAULT 1,
      last_event_id INTEGER NOT NULL,
      dedupe TEXT UNIQUE
    );
    CREATE INDEX identity_log_kind ON identity_log (kind);
    CREATE INDEX identity_log_into ON identity_log (into_profile) WHERE into_profile IS NOT NULL;
    CREATE INDEX identity_log_from ON identity_log (from_profile) WHERE from_profile IS NOT NULL;
    -- at: the event's timestamp, so a profile's timeline reads in event time (events arrive late and out of order).
    CREATE TABLE event_profiles (
      event_id INTEGER PRIMARY KEY,
      profile_id INTEGER NOT NULL,
      at INTEGER NOT NULL
    );
    CREATE INDEX event_profiles_profile ON event_profiles (profile_id, at, event_id);
    -- The latest value of each identify trait (by event time), JSON.
    CREATE TABLE profile_traits (
      profile_id INTEGER NOT NULL,
      key TEXT NOT NULL,
      value TEXT NOT NULL,
      at INTEGER NOT NULL,
      event_id INTEGER NOT NULL,
      PRIMARY KEY (profile_id, key)
    ) WITHOUT ROWID;
    CREATE INDEX profile_traits_value ON profile_traits (value);
    -- Audiences and previews read one trait across profiles; an audience's key must not be a trait in use.
    CREATE INDEX profile_traits_key ON profile_traits (key);
    -- Computed traits; hidden ones belong to an audience's event condition (audience_id).
    CREATE TABLE computed_traits (
      id INTEGER PRIMARY KEY,
      name TEXT NOT NULL,
      key TEXT NOT NULL,
      definition TEXT NOT NULL,
      state TEXT NOT NULL,
      backfill_upto INTEGER NOT NULL,
      backfill_cursor INTEGER NOT NULL DEFAULT 0,
      audience_id INTEGER,
      created_at INTEGER NOT NULL
    );
    CREATE UNIQUE INDEX computed_traits_name ON computed_traits (name) WHERE audience_id IS NULL;
    -- Per-day partial aggregates (day 0 for all-time traits): a window is a sum over days, so it slides.
    CREATE TABLE trait_buckets (
      trait_id INTEGER NOT NULL,
      profile_id INTEGER NOT NULL,
      day INTEGER NOT NULL,
      count INTEGER NOT NULL,
      sum REAL NOT NULL,
      min REAL,
      max REAL,
      first_value TEXT,
      first_at INTEGER,
      last_value TEXT,
      last_at INTEGER,
      PRIMARY KEY (trait_id, profile_id, day)
    ) WITHOUT ROWID;
    CREATE TABLE computed_values (
      trait_id INTEGER NOT NULL,
      profile_id INTEGER NOT NULL,
      value TEXT NOT NULL,
      computed_day INTEGER NOT NULL,
      PRIMARY KEY (trait_id, profile_id)
    ) WITHOUT ROWID;
    CREATE INDEX computed_values_profile ON computed_values (profile_id);
    CREATE TABLE audiences (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      name TEXT NOT NULL UNIQUE,
      key TEXT NOT NULL,
      definition TEXT NOT NULL,
      state TEXT NOT NULL,
      -- While 'computing': every profile up to this id has been evaluated.
      sweep_cursor INTEGER NOT NULL DEFAULT 0,
      created_at INTEGER NOT NULL
    );
    CREATE TABLE audience_members (
      audience_id INTEGER NOT NULL,
      profile_id INTEGER NOT NULL,
      entered_at INTEGER NOT NULL,
      PRIMARY KEY (audience_id, profile_id)
    ) WITHOUT ROWID;
    CREATE INDEX audience_members_profile ON audience_members (profile_id);
    -- Entering / leaving an audience, waiting to be sent as events (the main thread ingests, then deletes them).
    -- AUTOINCREMENT: the id makes the sent events' messageIds, which must never repeat.
    CREATE TABLE audience_outbox (
      id INTEGER PRIMARY KEY AUTOINCREMENT,
      audience_id INTEGER NOT NULL,
      profile_id INTEGER NOT NULL,
      entered INTEGER NOT NULL,
      at INTEGER NOT NULL,
      user_id TEXT,
      anonymous_id TEXT
    );
    -- A deleted event leaves its profile's timeline (retention, clears, privacy deletions).
    CREATE TRIGGER events_after_delete_profiles AFTER DELETE ON events BEGIN
      DELETE FROM event_profiles WHERE event_id = old.id;
    END;
  `)
  // Part of the messageIds of the audience events Loupe sends: a client cannot guess them (and send them first,
  // so the real ones are dropped as duplicates) nor pass its own events off as Loupe's.
  db.prepare("INSERT INTO identity_state (key, value) VALUES ('audience_salt', ?)").run(randomBytes(8).toString('hex'))
}
