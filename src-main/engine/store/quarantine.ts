// Quarantine (tracking-plan enforcement): held events carry quarantine = -1 and destinations skip them.
// A release gives them a release number (quarantine = n > 0) and creates, in the same transaction, one
// release job (a replay selecting that number) per destination connected to the source — so a crash can
// never leave events released with nothing to send them. Each released event is sent once per destination.

import type { Database } from 'better-sqlite3'
import type { CommandMap } from './command-types'

type Release = CommandMap['quarantine.release']

export function releaseQuarantine(db: Database): (args: Release['args']) => Release['result'] {
  const newRelease = db.prepare('INSERT INTO quarantine_releases (source_id, at, count) VALUES (?, ?, ?)')
  const destinations = db.prepare('SELECT destination_id FROM connections WHERE source_id = ? ORDER BY destination_id').pluck()
  const newJob = db.prepare("INSERT INTO replay_jobs (destination_id, selection, state, cursor, upper_event_id, total, created_at) VALUES (?, ?, 'running', ?, ?, ?, ?)")
  return (args) => {
    // Written as the partial index's own condition (events_held), so only held events are read.
    const where = ['source_id = ?', 'quarantine = -1']
    const params: unknown[] = [args.sourceId]
    if (args.name !== null) {
      where.push('name = ?')
      params.push(args.name)
    }
    if (args.eventIds !== null) {
      where.push('id IN (SELECT value FROM json_each(?))')
      params.push(JSON.stringify(args.eventIds))
    }
    const held = db.prepare(`SELECT count(*) AS count, coalesce(min(id), 0) AS lowId, coalesce(max(id), 0) AS highId FROM events WHERE ${where.join(' AND ')}`).get(...params) as { count: number; lowId: number; highId: number }
    if (held.count === 0) return { released: 0, replays: [] }
    const now = Date.now()
    const releaseId = Number(newRelease.run(args.sourceId, now, held.count).lastInsertRowid)
    db.prepare(`UPDATE events SET quarantine = ? WHERE ${where.join(' AND ')}`).run(releaseId, ...params)
    const selection = JSON.stringify({ sourceIds: [args.sourceId], releaseId })
    const replays = (destinations.all(args.sourceId) as number[]).map((destinationId) => ({
      destinationId,
      replayId: Number(newJob.run(destinationId, selection, held.lowId - 1, held.highId, held.count, now).lastInsertRowid)
    }))
    return { released: held.count, replays }
  }
}
