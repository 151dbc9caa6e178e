// Messages between the engine's main thread and its store thread (the one SQLite writer).

import type { EventRow } from './event-row'

/** Fields per row in the flat arrays that cross the thread boundary (cheaper to copy than objects). */
export const ROW_WIDTH = 20

export function encodeRows(rows: readonly EventRow[]): unknown[] {
  const flat: unknown[] = new Array(rows.length * ROW_WIDTH)
  let i = 0
  for (const row of rows) {
    flat[i++] = row.sourceId
    flat[i++] = row.type
    flat[i++] = row.name
    flat[i++] = row.userId
    flat[i++] = row.anonymousId
    flat[i++] = row.messageId
    flat[i++] = row.messageIdGenerated ? 1 : 0
    flat[i++] = row.receivedAt
    flat[i++] = row.timestamp
    flat[i++] = row.originalTimestamp
    flat[i++] = row.sentAt
    flat[i++] = row.size
    flat[i++] = row.warnings ? JSON.stringify(row.warnings) : null
    flat[i++] = row.payload
    const v = row.validation
    flat[i++] = v ? v.violations.length : 0
    flat[i++] = v?.held ? -1 : 0
    flat[i++] = v?.protocols ?? null
    // The violation rows' details, parsed by the store thread only for the (rare) events that have any.
    flat[i++] = v && v.violations.length > 0 ? JSON.stringify([v.planId, v.planVersion, v.violations]) : null
    flat[i++] = row.pii ?? null
    flat[i++] = row.piiKeys ?? null
  }
  return flat
}

export interface StoreThreadOptions {
  dbPath: string
  durability: 'normal' | 'full'
  nativeBinding?: string
  retention: { maxEvents: number; maxAgeDays: number }
  searchIndexing: 'background' | 'manual'
}

/**
 * Requests to the store thread; each gets one reply with the same `id`. Writes travel in batches (all the
 * requests of one event-loop turn in one message) and replies come back as arrays (all the writes of one
 * commit): a thread hop per request would cost more than the commit itself.
 */
export type StoreRequest =
  | { id: number; kind: 'write'; jobs: { id: number; rows: unknown[] }[] }
  | { id: number; kind: 'createSource'; name: string; writeKey: string; autoCreated: boolean }
  | { id: number; kind: 'renameSource'; sourceId: number; name: string }
  | { id: number; kind: 'deleteSource'; sourceId: number }
  | { id: number; kind: 'indexNow' }
  | { id: number; kind: 'command'; name: string; args: unknown }
  | { id: number; kind: 'close' }

export interface StoreReply {
  id: number
  /** write: the event id of each row, 0 for a duplicate. createSource: [sourceId] (0 = key already taken). */
  ids?: number[]
  error?: string
  /** The store refused this very request (it would fail again); otherwise the failure is passing. */
  permanent?: boolean
  /** id 0: not a reply but a line for the engine's log. */
  log?: string
  /** command: what it returned. */
  result?: unknown
}
