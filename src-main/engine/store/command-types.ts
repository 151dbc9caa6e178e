// Writes other than events that the store thread runs for the main thread, by name ("commands").
// Each module that owns tables declares its commands here, and implements them in commands.ts.

import type { DestinationKind, DestinationSettings } from '../../../src-shared/api'

export interface AttemptRecord {
  at: number
  durationMs: number
  outcome: 'delivered' | 'retry' | 'failed' | 'filtered' | 'expired'
  httpStatus: number | null
  error: string | null
  firstEventId: number
  lastEventId: number
  sent: number
  filtered: { eventId: number; reason: string }[]
  requestSample: string | null
  responseSample: string | null
}

export interface CommandMap {
  'destinations.create': { args: { name: string; kind: DestinationKind; settings: DestinationSettings; enabled: boolean; sourceIds: number[] }; result: number }
  'destinations.update': { args: { id: number; name?: string; settings?: DestinationSettings; enabled?: boolean; sourceIds?: number[] }; result: null }
  'destinations.delete': { args: { id: number }; result: null }
  /** One attempt, the cursor it moves to (null: it holds) and the events that failed for good — one transaction. */
  'deliveries.record': { args: { destinationId: number; cursor: number | null; attempt: AttemptRecord; failures: { eventId: number; reason: string }[] }; result: number }
}

export type CommandName = keyof CommandMap
