// Session export / import (QA and CI mode): the admin API's shapes for GET /api/export and /api/import.

/** One line of an import that was not stored. Lines are numbered from 1, as editors show them. */
export interface ImportRejectedLine {
  /** The file the line came from (CLI folder imports); absent for a single upload. */
  file?: string
  line: number
  code: string
  message: string
  field?: string
}

export type ImportStatus = 'running' | 'done' | 'failed'

export interface ImportJob {
  id: string
  status: ImportStatus
  /** The source every line went to, when one was chosen (`?sourceId=`); null = per line's write key or "Imported". */
  sourceId: number | null
  startedAt: string
  finishedAt: string | null
  /** Lines read so far (blank lines not counted). */
  read: number
  stored: number
  /** Lines already stored before (same messageId in the same source). */
  duplicates: number
  rejected: number
  /** The first rejected lines with their reasons (at most 1000; `rejected` has the full count). */
  rejectedLines: ImportRejectedLine[]
  /** Why the whole import stopped, when status is "failed". */
  error: string | null
}

/** Query of GET /api/export: the Events screen's filters, plus a test run and gzip. */
export interface ExportQuery {
  source?: string | number
  messageId?: string
  type?: string
  event?: string
  user?: string
  userId?: string
  anonymousId?: string
  q?: string
  from?: string
  to?: string
  runId?: string
  gzip?: '1'
}
