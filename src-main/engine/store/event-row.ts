import type { EventSummary, EventWarning } from '../../../src-shared/api'
import type { Violation } from '../../../src-shared/plans'
import type { Classification } from '../../../src-shared/privacy'
import type { SegmentType } from '../../../src-shared/segment'

/** What validation at ingest decided for a row (protocols/ingest-validation.ts); absent = not validated. */
export interface RowValidation {
  planId: number
  planVersion: number
  violations: Violation[]
  /** Held in quarantine: stored, not delivered until released. */
  held: boolean
  /** Segment's context.protocols for delivery plus the pointers to omit (store/protocols-column.ts), or null. */
  protocols: string | null
}

/** An event ready to be committed: the client's payload plus Loupe's normalized fields. */
export interface EventRow {
  sourceId: number
  type: SegmentType
  /** `event` of a track, `name` of a page/screen. */
  name: string | null
  userId: string | null
  anonymousId: string | null
  messageId: string
  messageIdGenerated: boolean
  /** Epoch ms. */
  receivedAt: number
  timestamp: number
  originalTimestamp: number | null
  sentAt: number | null
  /** Bytes of `payload` (UTF-8). */
  size: number
  warnings: EventWarning[] | null
  /** The message as the client sent it (batch context/integrations merged), as JSON. */
  payload: string
  validation?: RowValidation
  /** PII found at ingest: JSON of [pointer, matcher] (privacy/ingest-privacy.ts); '' none found; absent: not scanned. */
  pii?: string
  /** The inventory keys of those findings: `path\u0001matcher`, joined by `\u0002` (one per field). */
  piiKeys?: string
}

/** A row after commit, with the log position (event id) it got. */
export interface CommittedEvent {
  id: number
  row: EventRow
}

/** The list view of a just-committed event (same shape as the admin API's summaries). */
export function summarize(event: CommittedEvent, piiClass: (pii: string | undefined) => Classification | null = () => null): EventSummary {
  const { row } = event
  return {
    id: String(event.id),
    sourceId: row.sourceId,
    type: row.type,
    name: row.name,
    userId: row.userId,
    anonymousId: row.anonymousId,
    messageId: row.messageId,
    receivedAt: new Date(row.receivedAt).toISOString(),
    timestamp: new Date(row.timestamp).toISOString(),
    size: row.size,
    warnings: row.warnings ?? [],
    violations: row.validation?.violations.length ?? 0,
    quarantine: row.validation?.held ? 'held' : null,
    pii: piiClass(row.pii)
  }
}
