// QA mode's clear and reset (a source's events, a run's events, every event): one chunk per transaction,
// so ingest waits at most one chunk. Search-index rows go with the events (the events_after_delete trigger).
// Like retention (retention.ts), events an enabled destination had not dealt with yet are not deleted
// silently: the destination gets an "expired" attempt naming them. Unlike retention, a scoped clear removes
// events scattered between kept ones, so its attempts name only runs of deleted events with no deliverable
// kept event inside (a kept event must not look expired), and the cursor stays: the worker simply no longer
// finds the deleted rows.

import type { Database, Statement } from 'better-sqlite3'
import { fieldPath } from '../privacy/paths'
import { piiPairs } from '../privacy/pii-column'

export type ClearScope = { kind: 'all' } | { kind: 'source'; sourceId: number } | { kind: 'ids'; ids: number[] }

export interface ClearArgs {
  scope: ClearScope
  /** Only events up to this id: what arrives after the request started is kept. */
  upTo: number
  chunk: number
  /** For the expired attempts, e.g. `a clear of source 3`. */
  reason: string
  /**
   * A privacy deletion: the PII inventory forgets these events too (each field they carried counts one less;
   * a field only they carried leaves the inventory). First/last seen stay as they were.
   */
  uncountPii?: boolean
}

interface Picked {
  id: number
  source_id: number
}

export function createEventClearer(db: Database): (args: ClearArgs) => number {
  const pickAll = db.prepare<unknown[], Picked>('SELECT id, source_id FROM events WHERE id <= ? ORDER BY id LIMIT ?')
  const pickSource = db.prepare<unknown[], Picked>('SELECT id, source_id FROM events WHERE source_id = ? AND id <= ? ORDER BY id LIMIT ?')
  const pickIds = db.prepare<unknown[], Picked>('SELECT id, source_id FROM events WHERE id IN (SELECT value FROM json_each(?)) AND id <= ? ORDER BY id LIMIT ?')
  const remove = db.prepare('DELETE FROM events WHERE id IN (SELECT value FROM json_each(?))')
  // Their dead letters cannot be retried any more: on record as discarded, no longer counted as failed.
  const discardFailures = db.prepare("UPDATE delivery_failures SET resolved = 'discarded' WHERE resolved IS NULL AND event_id IN (SELECT value FROM json_each(?))")
  const uncount = db.prepare('UPDATE sources SET event_count = max(0, event_count - ?) WHERE id = ?')
  const behind = db.prepare<unknown[], { id: number; position: number }>(
    `SELECT d.id, coalesce(c.position, 0) AS position FROM destinations d
     LEFT JOIN consumer_cursors c ON c.name = 'destination:' || d.id
     WHERE d.enabled = 1 AND coalesce(c.position, 0) < ?`
  )
  const connections = db.prepare<unknown[], { source_id: number; from_event_id: number }>('SELECT source_id, from_event_id FROM connections WHERE destination_id = ?')
  const keptBetween = db.prepare('SELECT 1 FROM events WHERE source_id = ? AND id > ? AND id < ? LIMIT 1').pluck() as Statement<unknown[], number>
  const expire = db.prepare(
    `INSERT INTO delivery_attempts (destination_id, at, duration_ms, outcome, error, first_event_id, last_event_id, sent)
     VALUES (?, ?, 0, 'expired', ?, ?, ?, 0)`
  )
  const findings = db.prepare<unknown[], { source_id: number; pii: string }>("SELECT source_id, pii FROM events WHERE id IN (SELECT value FROM json_each(?)) AND pii > ''")
  const lessPii = db.prepare('UPDATE pii_inventory SET count = count - ? WHERE source_id = ? AND path = ? AND matcher = ?')
  const dropEmptyPii = db.prepare('DELETE FROM pii_inventory WHERE source_id = ? AND count <= 0')
  const moveCursor = db.prepare("INSERT INTO consumer_cursors (name, position) VALUES ('destination:' || ?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position")

  const pick = (args: ClearArgs): Picked[] => {
    const { scope, upTo, chunk } = args
    if (scope.kind === 'all') return pickAll.all(upTo, chunk)
    if (scope.kind === 'source') return pickSource.all(scope.sourceId, upTo, chunk)
    return pickIds.all(JSON.stringify(scope.ids), upTo, chunk)
  }

  /** In the deleting transaction: a retried chunk finds its events gone and counts nothing twice. */
  const uncountFindings = (ids: string): void => {
    const less = new Map<string, { sourceId: number; path: string; matcher: string; n: number }>()
    for (const row of findings.all(ids)) {
      // One count per field per event, as ingest counted (ingest-privacy.ts): array items fold into one field.
      const fields = new Set<string>()
      for (const [pointer, matcher] of piiPairs(row.pii)) fields.add(`${fieldPath(pointer)}\u0001${matcher}`)
      for (const field of fields) {
        const key = `${row.source_id}\u0000${field}`
        const entry = less.get(key)
        if (entry) entry.n++
        else {
          const cut = field.indexOf('\u0001')
          less.set(key, { sourceId: row.source_id, path: field.slice(0, cut), matcher: field.slice(cut + 1), n: 1 })
        }
      }
    }
    const sources = new Set<number>()
    for (const e of less.values()) {
      lessPii.run(e.n, e.sourceId, e.path, e.matcher)
      sources.add(e.sourceId)
    }
    for (const source of sources) dropEmptyPii.run(source)
  }

  return (args) => {
    const rows = pick(args)
    if (rows.length === 0) return 0
    const last = rows[rows.length - 1]!.id
    const lostBy = new Map<number, { position: number; from: Map<number, number>; ids: number[] }>()
    for (const d of behind.all(last)) {
      const from = new Map(connections.all(d.id).map((c) => [c.source_id, c.from_event_id] as const))
      const ids = rows.filter((r) => r.id > d.position && from.has(r.source_id) && r.id > from.get(r.source_id)!).map((r) => r.id)
      if (ids.length > 0) lostBy.set(d.id, { position: d.position, from, ids })
    }
    const deleted = JSON.stringify(rows.map((r) => r.id))
    if (args.uncountPii) uncountFindings(deleted)
    remove.run(deleted)
    discardFailures.run(deleted)
    const perSource = new Map<number, number>()
    for (const r of rows) perSource.set(r.source_id, (perSource.get(r.source_id) ?? 0) + 1)
    for (const [source, n] of perSource) uncount.run(n, source)

    const now = Date.now()
    for (const [destinationId, lost] of lostBy) {
      const message = (n: number): string => `${n} events deleted by ${args.reason} before they could be delivered`
      if (args.scope.kind === 'all') {
        // Everything up to `last` is gone: the same as retention, the cursor moves past it.
        expire.run(destinationId, now, message(lost.ids.length), lost.position + 1, last)
        moveCursor.run(destinationId, last)
        continue
      }
      for (const segment of segments(lost.ids, (a, b) => [...lost.from].some(([source, from]) => keptBetween.get(source, Math.max(a, from), b) !== undefined))) {
        expire.run(destinationId, now, message(segment.count), segment.first, segment.last)
      }
    }
    return rows.length
  }
}

/** Splits sorted ids into runs wherever `keptInside(a, b)` says a deliverable kept event lies between a and b. */
function segments(ids: number[], keptInside: (a: number, b: number) => boolean): { first: number; last: number; count: number }[] {
  const out = [{ first: ids[0]!, last: ids[0]!, count: 1 }]
  for (let i = 1; i < ids.length; i++) {
    const current = out[out.length - 1]!
    if (keptInside(current.last, ids[i]!)) out.push({ first: ids[i]!, last: ids[i]!, count: 1 })
    else {
      current.last = ids[i]!
      current.count++
    }
  }
  return out
}
