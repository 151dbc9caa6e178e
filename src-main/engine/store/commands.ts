// The store thread's implementations of the commands in command-types.ts. Each runs in one transaction.

import type { Database } from 'better-sqlite3'
import type { CommandMap, CommandName } from './command-types'
import { createEventClearer } from './clear-events'
import { cursorWriter } from './cursors'
import { releaseQuarantine } from './quarantine'
import { privacyCommands } from './privacy'
import type { IdentityConsumer } from '../identity/consumer'
import { identityCommands } from '../identity/commands'

export const destinationCursor = (id: number): string => `destination:${id}`

type Handlers = { [K in CommandName]: (args: CommandMap[K]['args']) => CommandMap[K]['result'] }

export function createCommands(db: Database, identity: () => IdentityConsumer): Handlers {
  const maxEventId = db.prepare('SELECT coalesce(max(id), 0) FROM events').pluck()
  const setCursor = (id: number, position: number) => cursorWriter(db, destinationCursor(id))(position)

  const setSources = (destinationId: number, sourceIds: number[]): void => {
    const now = maxEventId.get() as number
    const keep = new Set(sourceIds)
    for (const { source_id: sourceId } of db.prepare('SELECT source_id FROM connections WHERE destination_id = ?').all(destinationId) as { source_id: number }[]) {
      if (!keep.has(sourceId)) db.prepare('DELETE FROM connections WHERE destination_id = ? AND source_id = ?').run(destinationId, sourceId)
    }
    // A new connection starts from now: events already stored go through replay, not through the cursor.
    const connect = db.prepare('INSERT INTO connections (destination_id, source_id, from_event_id, created_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING')
    for (const sourceId of keep) connect.run(destinationId, sourceId, now, Date.now())
  }

  // A source has at most one plan: connecting it here moves it from any other.
  const setPlanSources = (planId: number, sourceIds: number[]): void => {
    db.prepare('DELETE FROM source_plans WHERE plan_id = ?').run(planId)
    // A source deleted meanwhile is skipped rather than failing the whole change.
    const connect = db.prepare('INSERT INTO source_plans (source_id, plan_id) SELECT id, ? FROM sources WHERE id = ? ON CONFLICT (source_id) DO UPDATE SET plan_id = excluded.plan_id')
    for (const sourceId of new Set(sourceIds)) connect.run(planId, sourceId)
  }

  const tx = <A, R>(fn: (args: A) => R) => db.transaction(fn) as unknown as (args: A) => R

  return {
    'destinations.create': tx((args) => {
      const info = db
        .prepare('INSERT INTO destinations (name, kind, settings, enabled, created_at, filters, consent_categories, limits) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(args.name, args.kind, JSON.stringify(args.settings), args.enabled ? 1 : 0, Date.now(), JSON.stringify(args.filters), JSON.stringify(args.consentCategories), JSON.stringify(args.limits))
      const id = Number(info.lastInsertRowid)
      if (args.privacy) db.prepare('UPDATE destinations SET privacy = ? WHERE id = ?').run(JSON.stringify(args.privacy), id)
      setCursor(id, maxEventId.get() as number)
      setSources(id, args.sourceIds)
      return id
    }),
    'destinations.update': tx((args) => {
      if (args.name !== undefined) db.prepare('UPDATE destinations SET name = ? WHERE id = ?').run(args.name, args.id)
      if (args.settings !== undefined) db.prepare('UPDATE destinations SET settings = ? WHERE id = ?').run(JSON.stringify(args.settings), args.id)
      if (args.enabled !== undefined) db.prepare('UPDATE destinations SET enabled = ? WHERE id = ?').run(args.enabled ? 1 : 0, args.id)
      if (args.sourceIds !== undefined) setSources(args.id, args.sourceIds)
      if (args.filters !== undefined) db.prepare('UPDATE destinations SET filters = ? WHERE id = ?').run(JSON.stringify(args.filters), args.id)
      if (args.consentCategories !== undefined) db.prepare('UPDATE destinations SET consent_categories = ? WHERE id = ?').run(JSON.stringify(args.consentCategories), args.id)
      if (args.limits !== undefined) db.prepare('UPDATE destinations SET limits = ? WHERE id = ?').run(JSON.stringify(args.limits), args.id)
      if (args.privacy !== undefined) db.prepare('UPDATE destinations SET privacy = ? WHERE id = ?').run(JSON.stringify(args.privacy), args.id)
      return null
    }),
    'destinations.delete': tx((args) => {
      db.prepare('DELETE FROM destinations WHERE id = ?').run(args.id)
      db.prepare('DELETE FROM consumer_cursors WHERE name = ?').run(destinationCursor(args.id))
      return null
    }),
    'deliveries.record': tx((args) => {
      const a = args.attempt
      const info = db
        .prepare(`INSERT INTO delivery_attempts (destination_id, at, duration_ms, outcome, http_status, error, first_event_id, last_event_id, sent, filtered, request_sample, response_sample, replay_id)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(args.destinationId, a.at, a.durationMs, a.outcome, a.httpStatus, a.error, a.firstEventId, a.lastEventId, a.sent,
          a.filtered.length > 0 ? JSON.stringify(a.filtered) : null, a.requestSample, a.responseSample, args.replay?.replayId ?? null)
      const attemptId = Number(info.lastInsertRowid)
      if (args.cursor !== null) setCursor(args.destinationId, args.cursor)
      // Dead letters: the live line's, and a quarantine release's (live delivery never sends released events,
      // so they must stay retryable). Other replays keep their failures on their attempts.
      const fail = db.prepare('INSERT INTO delivery_failures (destination_id, event_id, reason, attempt_id, failed_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING')
      for (const f of args.failures) fail.run(args.destinationId, f.eventId, f.reason, attemptId, a.at)
      if (args.replay) {
        const r = args.replay
        db.prepare('UPDATE replay_jobs SET cursor = ?, processed = processed + ?, delivered = delivered + ?, filtered = filtered + ?, failed = failed + ? WHERE id = ?')
          .run(r.cursor, r.processed, r.delivered, r.filtered, r.failed, r.replayId)
        const resolve = db.prepare("UPDATE delivery_failures SET resolved = 'delivered' WHERE destination_id = ? AND event_id = ?")
        for (const eventId of r.resolvedFailures) resolve.run(args.destinationId, eventId)
      }
      return attemptId
    }),
    'deliveries.discardFailures': tx((args) => {
      if (args.eventIds === null) return db.prepare("UPDATE delivery_failures SET resolved = 'discarded' WHERE destination_id = ? AND resolved IS NULL").run(args.destinationId).changes
      const drop = db.prepare("UPDATE delivery_failures SET resolved = 'discarded' WHERE destination_id = ? AND event_id = ? AND resolved IS NULL")
      return args.eventIds.reduce((n, id) => n + drop.run(args.destinationId, id).changes, 0)
    }),
    'replays.create': tx((args) => {
      const info = db
        .prepare("INSERT INTO replay_jobs (destination_id, selection, state, cursor, upper_event_id, total, created_at) VALUES (?, ?, 'running', ?, ?, ?, ?)")
        .run(args.destinationId, args.selection, args.cursor, args.upperEventId, args.total, Date.now())
      return Number(info.lastInsertRowid)
    }),
    'replays.advance': tx((args) => {
      db.prepare('UPDATE replay_jobs SET cursor = ? WHERE id = ?').run(args.cursor, args.id)
      return null
    }),
    'replays.setState': tx((args) => {
      const final = args.state === 'done' || args.state === 'cancelled' || args.state === 'failed'
      db.prepare('UPDATE replay_jobs SET state = ?, error = ?, finished_at = ? WHERE id = ?').run(args.state, args.error ?? null, final ? Date.now() : null, args.id)
      return null
    }),
    'runs.create': tx((args) => {
      db.prepare('INSERT INTO test_runs (id, name, source_id, window_source_ids, started_at) VALUES (?, ?, ?, ?, ?)')
        .run(args.id, args.name, args.sourceId, JSON.stringify(args.windowSourceIds), args.startedAt)
      return null
    }),
    'runs.countAssertion': tx((args) => {
      db.prepare('UPDATE test_runs SET assertions = assertions + 1, failed_assertions = failed_assertions + ? WHERE id = ?').run(args.failed ? 1 : 0, args.id)
      return null
    }),
    'runs.end': tx((args) => db.prepare('UPDATE test_runs SET ended_at = ? WHERE id = ? AND ended_at IS NULL').run(args.endedAt, args.id).changes > 0),
    'events.clear': tx(createEventClearer(db)),
    'plans.create': tx((args) => {
      const now = Date.now()
      const id = Number(db.prepare('INSERT INTO tracking_plans (name, description, version, created_at, updated_at) VALUES (?, ?, 1, ?, ?)').run(args.name, args.description, now, now).lastInsertRowid)
      db.prepare('INSERT INTO tracking_plan_versions (plan_id, version, rules, note, created_at) VALUES (?, 1, ?, ?, ?)').run(id, JSON.stringify(args.rules), args.note, now)
      setPlanSources(id, args.sourceIds)
      return id
    }),
    'plans.update': tx((args) => {
      const current = db.prepare('SELECT version FROM tracking_plans WHERE id = ?').pluck().get(args.id) as number | undefined
      if (current === undefined) return 0
      const now = Date.now()
      let version = current
      if (args.rules !== undefined) {
        version = current + 1
        db.prepare('INSERT INTO tracking_plan_versions (plan_id, version, rules, note, created_at) VALUES (?, ?, ?, ?, ?)').run(args.id, version, JSON.stringify(args.rules), args.note ?? null, now)
      }
      db.prepare('UPDATE tracking_plans SET name = coalesce(?, name), description = coalesce(?, description), version = ?, updated_at = ? WHERE id = ?')
        .run(args.name ?? null, args.description ?? null, version, now, args.id)
      if (args.sourceIds !== undefined) setPlanSources(args.id, args.sourceIds)
      return version
    }),
    'plans.delete': tx((args) => db.prepare('DELETE FROM tracking_plans WHERE id = ?').run(args.id).changes > 0),
    'sources.setEnforcement': tx((args) => db.prepare('UPDATE sources SET enforcement = ? WHERE id = ?').run(args.enforcement, args.sourceId).changes > 0),
    'quarantine.release': tx(releaseQuarantine(db)),
    ...privacyCommands(db, tx),
    ...identityCommands(db, tx, identity)
  }
}
