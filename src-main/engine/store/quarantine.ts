// Quarantine (tracking-plan enforcement): held events carry quarantine = -1 and destinations skip them.
// A release gives them a release number (quarantine = n > 0) in one statement; release jobs (replays
// selecting that number) then send them, so each released event is sent once per destination.

import type { Database } from 'better-sqlite3'
import type { CommandMap } from './command-types'

type Release = CommandMap['quarantine.release']

export function releaseQuarantine(db: Database): (args: Release['args']) => Release['result'] {
  const newRelease = db.prepare('INSERT INTO quarantine_releases (source_id, at, count) VALUES (?, ?, 0)')
  const setCount = db.prepare('UPDATE quarantine_releases SET count = ? WHERE id = ?')
  const bounds = db.prepare('SELECT count(*) AS count, coalesce(min(id), 0) AS lowId, coalesce(max(id), 0) AS highId FROM events WHERE source_id = ? AND quarantine = ?')
  return (args) => {
    const releaseId = Number(newRelease.run(args.sourceId, Date.now()).lastInsertRowid)
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
    db.prepare(`UPDATE events SET quarantine = ? WHERE ${where.join(' AND ')}`).run(releaseId, ...params)
    const result = bounds.get(args.sourceId, releaseId) as { count: number; lowId: number; highId: number }
    setCount.run(result.count, releaseId)
    return { releaseId, ...result }
  }
}
