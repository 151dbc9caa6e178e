// Writes other than events that the store thread runs for the main thread, by name ("commands").
// Each module that owns tables declares its commands here, and implements them in commands.ts.

import type { ClearArgs } from './clear-events'
import type { IdentityCommandMap } from '../identity/commands'
import type { PlanRule } from '../../../src-shared/plans'
import type { DestinationPrivacy } from '../../../src-shared/privacy'
import type { DeliveryLimits, DestinationFilter, DestinationKind, DestinationSettings, ReplayState } from '../../../src-shared/api'

/** A destination's filters, consent categories and pacing. */
export interface DeliveryRules {
  filters: DestinationFilter[]
  consentCategories: string[]
  limits: DeliveryLimits
}

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

/** What a replay step changes on its job, recorded with its attempt in one transaction. */
export interface ReplayProgress {
  replayId: number
  cursor: number
  processed: number
  delivered: number
  filtered: number
  failed: number
  /** Failed events of the destination that this step delivered (a retry of failed events resolves them). */
  resolvedFailures: number[]
}

/** Identity resolution's commands are declared with it (identity/commands.ts). */
export interface CommandMap extends IdentityCommandMap {
  'destinations.create': { args: { name: string; kind: DestinationKind; settings: DestinationSettings; enabled: boolean; sourceIds: number[]; privacy?: DestinationPrivacy } & DeliveryRules; result: number }
  'destinations.update': { args: { id: number; name?: string; settings?: DestinationSettings; enabled?: boolean; sourceIds?: number[]; privacy?: DestinationPrivacy } & Partial<DeliveryRules>; result: null }
  'destinations.delete': { args: { id: number }; result: null }
  /** One attempt, the cursor it moves to (null: it holds) and the events that failed for good — one transaction. */
  'deliveries.record': { args: { destinationId: number; cursor: number | null; attempt: AttemptRecord; failures: { eventId: number; reason: string }[]; replay?: ReplayProgress }; result: number }
  /** Forget failed events (all of the destination's when eventIds is null); returns how many. */
  'deliveries.discardFailures': { args: { destinationId: number; eventIds: number[] | null }; result: number }
  'replays.create': { args: { destinationId: number; selection: string; cursor: number; upperEventId: number; total: number }; result: number }
  /** A replay's cursor moves over events its selection does not keep. */
  'replays.advance': { args: { id: number; cursor: number }; result: null }
  'replays.setState': { args: { id: number; state: ReplayState; error?: string | null }; result: null }
  /** QA test runs (qa/runs.ts). */
  'runs.create': { args: { id: string; name: string; sourceId: number; windowSourceIds: number[]; startedAt: number }; result: null }
  /** Closes the run's capture window (false: no such open run). */
  'runs.end': { args: { id: string; endedAt: number }; result: boolean }
  /** An assertion was checked against the run (and whether it failed). */
  'runs.countAssertion': { args: { id: string; failed: boolean }; result: null }
  /** QA clear / reset: deletes one chunk of the scope's events (store/clear-events.ts); returns how many (0 = done). */
  'events.clear': { args: ClearArgs; result: number }
  /** Tracking plans (protocols/): a new plan at version 1; returns its id. */
  'plans.create': { args: { name: string; description: string; rules: PlanRule[]; note: string | null; sourceIds: number[] }; result: number }
  /** Rules make a new version; sourceIds replace the connections (moving each source here). Returns the current version (0: no such plan). */
  'plans.update': { args: { id: number; name?: string; description?: string; rules?: PlanRule[]; note?: string | null; sourceIds?: number[] }; result: number }
  /** False: no such plan. Its versions and connections go with it. */
  'plans.delete': { args: { id: number }; result: boolean }
  /** Enforcement settings of a source (protocols/), as JSON; false: no such source. */
  'sources.setEnforcement': { args: { sourceId: number; enforcement: string }; result: boolean }
  /**
   * Marks held events of a source as released (all of them, those with `name`, or those of `eventIds`) under a
   * new release number and creates a running release job per connected destination (store/quarantine.ts).
   */
  /** Privacy (privacy/): settings as JSON; a source's own (SourcePrivacy JSON). */
  'privacy.setSettings': { args: { settings: string }; result: null }
  'sources.setPrivacy': { args: { sourceId: number; privacy: string }; result: boolean }
  /** Suppressed ids are kept as SHA-256 hashes. unsuppress: false when it was not suppressed. */
  'privacy.suppress': { args: { kind: 'userId' | 'anonymousId'; idHash: string }; result: null }
  'privacy.unsuppress': { args: { kind: 'userId' | 'anonymousId'; idHash: string }; result: boolean }
  /** Marks an inventory field as triaged (out of the inbox); false: no such field. */
  'privacy.triage': { args: { sourceId: number; path: string; matcher: string }; result: boolean }
  'privacy.deletionStart': { args: { kind: 'userId' | 'anonymousId'; idHash: string }; result: number }
  'privacy.deletionProgress': { args: { id: number; state: 'running' | 'done' | 'failed'; events?: number; deliverySamples?: number; archiveLines?: number; warehouseRows?: number; error?: string | null }; result: null }
  /** Replaces the samples of delivery attempts that carried these events, and their dead letters' reasons; returns how many attempts. */
  'privacy.scrubDeliveries': { args: { eventIds: number[] }; result: number }
  /** SQLite's secure_delete on the store thread's connection, for the time of a privacy deletion. */
  'privacy.secureDelete': { args: { on: boolean }; result: null }
  /** At start: deletions a stop cut short are marked failed (they cannot resume: only the id's hash is kept). */
  'privacy.failInterrupted': { args: Record<string, never>; result: number }
  'quarantine.release': { args: { sourceId: number; name: string | null; eventIds: number[] | null }; result: { released: number; replays: { destinationId: number; replayId: number }[] } }
}

export type CommandName = keyof CommandMap
