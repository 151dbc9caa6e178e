// The store thread's privacy commands (command-types.ts): settings, suppressions, inventory triage, the
// deletion audit and the scrubbing of delivery samples. Ids arrive here only as hashes.

import type { Database } from 'better-sqlite3'
import type { CommandMap } from './command-types'

type Names = 'privacy.secureDelete' | 'privacy.setSettings' | 'sources.setPrivacy' | 'privacy.suppress' | 'privacy.unsuppress' | 'privacy.triage' | 'privacy.deletionStart' | 'privacy.deletionProgress' | 'privacy.scrubDeliveries' | 'privacy.failInterrupted'
type Handlers = { [K in Names]: (args: CommandMap[K]['args']) => CommandMap[K]['result'] }

const SCRUBBED = '(removed by a deletion request)'

export function privacyCommands(db: Database, tx: <A, R>(fn: (args: A) => R) => (args: A) => R): Handlers {
  return {
    'privacy.setSettings': tx((args) => {
      db.prepare("INSERT INTO privacy_state (key, value) VALUES ('settings', ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value").run(args.settings)
      return null
    }),
    'sources.setPrivacy': tx((args) => db.prepare('UPDATE sources SET privacy = ? WHERE id = ?').run(args.privacy, args.sourceId).changes > 0),
    'privacy.suppress': tx((args) => {
      db.prepare('INSERT INTO suppressions (kind, id_hash, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING').run(args.kind, args.idHash, Date.now())
      return null
    }),
    'privacy.unsuppress': tx((args) => db.prepare('DELETE FROM suppressions WHERE kind = ? AND id_hash = ?').run(args.kind, args.idHash).changes > 0),
    'privacy.triage': tx((args) => db.prepare('UPDATE pii_inventory SET triaged = 1 WHERE source_id = ? AND path = ? AND matcher = ?').run(args.sourceId, args.path, args.matcher).changes > 0),
    'privacy.deletionStart': tx((args) =>
      Number(db.prepare("INSERT INTO deletions (kind, id_hash, state, requested_at) VALUES (?, ?, 'running', ?)").run(args.kind, args.idHash, Date.now()).lastInsertRowid)
    ),
    'privacy.deletionProgress': tx((args) => {
      const final = args.state !== 'running'
      db.prepare(`UPDATE deletions SET state = ?, events = events + ?, delivery_samples = delivery_samples + ?, archive_lines = archive_lines + ?, warehouse_rows = warehouse_rows + ?,
        error = coalesce(?, error), finished_at = ? WHERE id = ?`)
        .run(args.state, args.events ?? 0, args.deliverySamples ?? 0, args.archiveLines ?? 0, args.warehouseRows ?? 0, args.error ?? null, final ? Date.now() : null, args.id)
      return null
    }),
    'privacy.scrubDeliveries': tx((args) => {
      const ids = JSON.stringify(args.eventIds)
      // An attempt covers the event ids first_event_id..last_event_id: its samples may hold any of them.
      const scrubbed = db
        .prepare(`UPDATE delivery_attempts SET request_sample = CASE WHEN request_sample IS NULL THEN NULL ELSE ? END, response_sample = CASE WHEN response_sample IS NULL THEN NULL ELSE ? END
          WHERE first_event_id <= ? AND last_event_id >= ? AND (request_sample IS NOT NULL OR response_sample IS NOT NULL)
            AND EXISTS (SELECT 1 FROM json_each(?) j WHERE j.value BETWEEN first_event_id AND last_event_id)`)
        .run(SCRUBBED, SCRUBBED, Math.max(...args.eventIds), Math.min(...args.eventIds), ids).changes
      db.prepare('UPDATE delivery_failures SET reason = ? WHERE event_id IN (SELECT value FROM json_each(?))').run(SCRUBBED, ids)
      return scrubbed
    }),
    'privacy.secureDelete': (args) => {
      db.pragma(`secure_delete = ${args.on ? 'ON' : 'OFF'}`)
      return null
    },
    'privacy.failInterrupted': tx(() =>
      db.prepare("UPDATE deletions SET state = 'failed', error = 'interrupted when Loupe stopped: request the deletion again', finished_at = ? WHERE state = 'running'").run(Date.now()).changes
    )
  }
}
