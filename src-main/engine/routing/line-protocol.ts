// Messages between the line reader (main thread) and its thread.

import type { OutgoingColumns } from '../store/outgoing-log'

export interface LineReaderOptions {
  dbPath: string
  nativeBinding?: string
}

export interface LineReadRequest {
  id: number
  destinationId: number
  after: number
  limit: number
  /** The destination's names for the `integrations` rule. */
  integrationNames: readonly string[]
}

/**
 * A row read: `[id, sourceId, receivedAt, line]` when its line was built, else all its columns (the caller
 * takes the parsed path for it).
 */
export type LineReadRow = [number, number, number, string] | OutgoingColumns

export type LineReadReply = { id: number; rows: LineReadRow[] } | { id: number; error: string }
