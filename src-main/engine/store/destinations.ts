// Reads of destinations, connections and delivery records on the main thread (writes are store commands).

import { DEFAULT_DESTINATION_PRIVACY, type DestinationPrivacy } from '../../../src-shared/privacy'
import type { Database, Statement } from 'better-sqlite3'
import type { AttemptOutcome, DeliveryAttempt, DeliveryLimits, DestinationFilter, DestinationKind, EventDelivery, DestinationSettings } from '../../../src-shared/api'
import { destinationCursor } from './commands'
import { defaultLimits } from '../../../src-shared/default-limits'
import { CONNECTED, OutgoingLog, toOutgoingRow, type OutgoingRow } from './outgoing-log'

export interface DestinationRow {
  id: number
  name: string
  kind: DestinationKind
  settings: DestinationSettings
  enabled: boolean
  createdAt: number
  sourceIds: number[]
  filters: DestinationFilter[]
  consentCategories: string[]
  limits: DeliveryLimits
  /** What it receives of each class of personal data (privacy/controls.ts). */
  privacy: DestinationPrivacy
}

export type { OutgoingRow } from './outgoing-log'

interface AttemptDb {
  id: number
  at: number
  duration_ms: number
  outcome: AttemptOutcome
  http_status: number | null
  error: string | null
  first_event_id: number
  last_event_id: number
  sent: number
  filtered: string | null
  request_sample: string | null
  response_sample: string | null
  replay_id: number | null
}

interface DestinationDb {
  id: number
  name: string
  kind: DestinationKind
  settings: string
  enabled: number
  created_at: number
  filters: string
  consent_categories: string
  limits: string
  privacy: string | null
}

export class DestinationReads {
  private readonly all: Statement<unknown[], DestinationDb>
  private readonly sources: Statement<unknown[], { destination_id: number; source_id: number }>
  private readonly cursor: Statement<unknown[], number>
  private readonly log: OutgoingLog
  private readonly pendingCount: Statement<unknown[], number>
  private readonly failedCount: Statement<unknown[], number>

  /** Opens sealed secrets of settings (secrets/destination-secrets.ts); identity until set. */
  openSettings: (kind: DestinationKind, settings: DestinationSettings) => DestinationSettings = (_kind, settings) => settings

  constructor(private readonly db: Database) {
    this.all = db.prepare('SELECT * FROM destinations ORDER BY id')
    this.sources = db.prepare('SELECT destination_id, source_id FROM connections ORDER BY source_id')
    this.cursor = db.prepare('SELECT position FROM consumer_cursors WHERE name = ?').pluck() as Statement<unknown[], number>
    this.log = new OutgoingLog(db)
    this.pendingCount = db.prepare(`SELECT count(*) FROM (SELECT 1 ${CONNECTED} LIMIT 100000)`).pluck() as Statement<unknown[], number>
    this.failedCount = db.prepare('SELECT count(*) FROM delivery_failures WHERE destination_id = ? AND resolved IS NULL').pluck() as Statement<unknown[], number>
  }

  list(): DestinationRow[] {
    const sources = new Map<number, number[]>()
    for (const c of this.sources.all()) sources.set(c.destination_id, [...(sources.get(c.destination_id) ?? []), c.source_id])
    return this.all.all().map((d) => ({
      id: d.id,
      name: d.name,
      kind: d.kind,
      settings: this.openSettings(d.kind, JSON.parse(d.settings) as DestinationSettings),
      enabled: d.enabled === 1,
      createdAt: d.created_at,
      sourceIds: sources.get(d.id) ?? [],
      filters: JSON.parse(d.filters) as DestinationFilter[],
      consentCategories: JSON.parse(d.consent_categories) as string[],
      limits: { ...defaultLimits(d.kind), ...(JSON.parse(d.limits) as Partial<DeliveryLimits>) },
      privacy: { ...DEFAULT_DESTINATION_PRIVACY, ...(d.privacy ? (JSON.parse(d.privacy) as Partial<DestinationPrivacy>) : {}) }
    }))
  }

  get(id: number): DestinationRow | null {
    return this.list().find((d) => d.id === id) ?? null
  }

  cursorOf(id: number): number {
    return this.cursor.get(destinationCursor(id)) ?? 0
  }

  /** The next events this destination has to deal with, oldest first. */
  nextEvents(id: number, after: number, limit: number): OutgoingRow[] {
    return this.log.next(id, after, limit).map(toOutgoingRow)
  }

  /** Events waiting for this destination (counted up to 100,000). */
  pending(id: number, after: number): number {
    return this.pendingCount.get(id, after) ?? 0
  }

  failed(id: number): number {
    return this.failedCount.get(id) ?? 0
  }

  attempts(id: number, before: number | null, limit: number, outcome?: AttemptOutcome): DeliveryAttempt[] {
    const rows = this.db
      .prepare(`SELECT * FROM delivery_attempts WHERE destination_id = ? AND id < ? ${outcome ? 'AND outcome = ?' : ''} ORDER BY id DESC LIMIT ?`)
      .all(id, before ?? Number.MAX_SAFE_INTEGER, ...(outcome ? [outcome] : []), limit) as AttemptDb[]
    return rows.map(toAttempt)
  }

  /** How many events failed for good here, and the largest id among them (a retry walks up to it). */
  pendingFailures(id: number): { count: number; maxEventId: number } {
    const row = this.db.prepare('SELECT count(*) AS count, coalesce(max(event_id), 0) AS maxEventId FROM delivery_failures WHERE destination_id = ? AND resolved IS NULL').get(id) as { count: number; maxEventId: number }
    return row
  }

  /** The most recent events of some sources, newest first, in the shape workers send. */
  recentEvents(sourceIds: number[], limit: number): OutgoingRow[] {
    if (sourceIds.length === 0) return []
    return this.db
      .prepare(`SELECT id, source_id, type, message_id, received_at, timestamp, original_timestamp, sent_at, payload, quarantine, protocols, pii FROM events WHERE source_id IN (${sourceIds.map(() => '?').join(',')}) ORDER BY id DESC LIMIT ?`)
      .all(...sourceIds, limit) as OutgoingRow[]
  }

  /** Events by id, in the shape workers send (for replays and retries of failed events). */
  eventsByIds(ids: number[]): OutgoingRow[] {
    if (ids.length === 0) return []
    return this.db
      .prepare(`SELECT id, source_id, type, message_id, received_at, timestamp, original_timestamp, sent_at, payload, quarantine, protocols, pii FROM events WHERE id IN (${ids.map(() => '?').join(',')}) ORDER BY id`)
      .all(...ids) as OutgoingRow[]
  }

  /** Per time bucket since `since`: events delivered, failed for good, filtered, retries, and p95 latency. */
  metrics(id: number, since: number, bucketMs: number): { at: number; delivered: number; failed: number; retries: number; filtered: number; p95Ms: number | null }[] {
    const rows = this.db
      .prepare('SELECT at, duration_ms, outcome, sent, filtered FROM delivery_attempts WHERE destination_id = ? AND at >= ? ORDER BY id DESC LIMIT 200000')
      .all(id, since) as { at: number; duration_ms: number; outcome: AttemptOutcome; sent: number; filtered: string | null }[]
    const buckets = new Map<number, { delivered: number; failed: number; retries: number; filtered: number; latencies: number[] }>()
    for (const row of rows) {
      const at = Math.floor(row.at / bucketMs) * bucketMs
      let bucket = buckets.get(at)
      if (!bucket) buckets.set(at, (bucket = { delivered: 0, failed: 0, retries: 0, filtered: 0, latencies: [] }))
      const filtered = row.filtered ? (JSON.parse(row.filtered) as unknown[]).length : 0
      bucket.filtered += filtered
      if (row.outcome === 'delivered') bucket.delivered += row.sent
      else if (row.outcome === 'failed' || row.outcome === 'expired') bucket.failed += row.sent
      else if (row.outcome === 'retry') bucket.retries += 1
      if (row.outcome !== 'filtered') bucket.latencies.push(row.duration_ms)
    }
    return [...buckets.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([at, b]) => ({ at, delivered: b.delivered, failed: b.failed, retries: b.retries, filtered: b.filtered, p95Ms: percentile(b.latencies, 0.95) }))
  }

  /** Per destination connected to the event's source: what happened to this event there. */
  deliveriesOf(event: { id: number; sourceId: number }): EventDelivery[] {
    const out: EventDelivery[] = []
    for (const d of this.list()) {
      const connection = this.db.prepare('SELECT from_event_id FROM connections WHERE destination_id = ? AND source_id = ?').pluck().get(d.id, event.sourceId) as number | undefined
      if (connection === undefined || event.id <= connection) continue
      const base = { destinationId: d.id, destinationName: d.name }
      const failure = this.db.prepare('SELECT reason, attempt_id, resolved FROM delivery_failures WHERE destination_id = ? AND event_id = ?').get(d.id, event.id) as { reason: string; attempt_id: number; resolved: string | null } | undefined
      if (failure?.resolved === 'delivered') {
        out.push({ ...base, status: 'delivered', reason: `delivered by a retry after: ${failure.reason}`, attemptId: failure.attempt_id })
        continue
      }
      if (failure) {
        const reason = failure.resolved === 'discarded' ? `${failure.reason} (discarded)` : failure.reason
        out.push({ ...base, status: failure.reason === 'expired' ? 'expired' : 'failed', reason, attemptId: failure.attempt_id })
        continue
      }
      if (event.id > this.cursorOf(d.id)) {
        out.push({ ...base, status: 'pending', reason: d.enabled ? null : 'the destination is disabled', attemptId: null })
        continue
      }
      const attempt = this.db
        .prepare("SELECT * FROM delivery_attempts WHERE destination_id = ? AND last_event_id >= ? AND first_event_id <= ? AND outcome != 'retry' AND replay_id IS NULL ORDER BY last_event_id LIMIT 1")
        .get(d.id, event.id, event.id) as AttemptDb | undefined
      const filtered = attempt?.filtered ? (JSON.parse(attempt.filtered) as { eventId: number; reason: string }[]).find((f) => f.eventId === event.id) : undefined
      if (filtered) out.push({ ...base, status: 'filtered', reason: filtered.reason, attemptId: attempt!.id })
      else out.push({ ...base, status: attempt?.outcome === 'expired' ? 'expired' : 'delivered', reason: null, attemptId: attempt?.id ?? null })
    }
    return out
  }
}

function toAttempt(row: AttemptDb): DeliveryAttempt {
  return {
    id: row.id,
    at: new Date(row.at).toISOString(),
    durationMs: row.duration_ms,
    outcome: row.outcome,
    httpStatus: row.http_status,
    error: row.error,
    firstEventId: String(row.first_event_id),
    lastEventId: String(row.last_event_id),
    sent: row.sent,
    filtered: row.filtered ? (JSON.parse(row.filtered) as { eventId: number; reason: string }[]).map((f) => ({ eventId: String(f.eventId), reason: f.reason })) : [],
    requestSample: row.request_sample,
    responseSample: row.response_sample,
    replayId: row.replay_id
  }
}

function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!
}
