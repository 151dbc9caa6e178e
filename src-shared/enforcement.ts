// Validation at ingest and enforcement (issue #5, Segment Protocols' schema configuration): the contract
// between the engine, the renderer and the CLI. The store always keeps what the client sent; enforcement
// shapes only what is delivered (omissions) and whether it is delivered at all (quarantine).

import type { Violation, ViolationKind } from './plans'

/** Per source, like Protocols' "Schema Configuration". Applies to events of a source connected to a plan. */
export interface SourceEnforcement {
  /** Track events the plan does not list: flag only, or quarantine them. */
  unplannedEvents: 'allow' | 'block'
  /** Properties / traits the plan does not list: flag only, or leave them out of what is delivered. */
  unplannedProperties: 'allow' | 'omit'
  /** Missing required, wrong type, value not allowed: flag only, quarantine the event, or leave the offending field out. */
  violations: 'allow' | 'block' | 'omit'
  /** Track event names quarantined at ingest whatever the plan says — the Schema view's "block this event". */
  blockedEvents: string[]
  /** A source that receives a `Violation Generated` track event per violation (Segment's forwarding); null: none. */
  forwardViolationsTo: number | null
}

export const DEFAULT_ENFORCEMENT: SourceEnforcement = {
  unplannedEvents: 'allow',
  unplannedProperties: 'allow',
  violations: 'allow',
  blockedEvents: [],
  forwardViolationsTo: null
}

/** PUT /api/sources/:id/enforcement takes any subset; the answer is the whole setting. */
export type UpdateEnforcementRequest = Partial<SourceEnforcement>

/**
 * Quarantine state of a stored event: `held` = blocked at ingest, skipped by destinations; `released` = sent
 * to the destinations connected at release time by a release job; null = never blocked.
 */
export type QuarantineState = 'held' | 'released' | null

/**
 * What the event detail shows of validation: the violations found at ingest and what delivery leaves out.
 * Present when the event had violations or is held; an event that passed its plan cleanly has none.
 */
export interface EventValidation {
  /** The plan version it was checked against; null when it was held only as a blocked event name (no plan). */
  planId: number | null
  planVersion: number | null
  violations: Violation[]
  /** JSON pointers left out of what destinations receive (recorded in `context.protocols` as Segment does). */
  omitted: string[]
  /** Why the event is quarantined (null when it is not). */
  blockedBecause: string | null
}

/** POST /api/sources/:id/quarantine/release — all held events of the source, or those named. */
export interface ReleaseQuarantineRequest {
  eventIds?: string[]
  /** Only held events with this name. */
  event?: string
}

export interface ReleaseQuarantineResult {
  released: number
  /** One replay-like job per destination connected to the source (see Replay for progress). */
  replays: { destinationId: number; replayId: number }[]
}

/** GET /api/violations?source=&range=1h|24h|7d — violations grouped by event and kind. */
export type ViolationsRange = '1h' | '24h' | '7d'

export interface ViolationGroup {
  sourceId: number
  eventType: string
  /** Track event name, page/screen name; null for identify/group. */
  event: string | null
  kind: ViolationKind
  pointer: string
  expected: string | null
  /** The latest message of the group (they share kind and field). */
  message: string
  count: number
  firstSeen: string
  lastSeen: string
  /** Counts per bucket over the range, oldest first (`bucketMs` wide). */
  trend: number[]
  /** The newest events of the group (up to 5), to open as samples. */
  sampleEventIds: string[]
}

export interface ViolationsReport {
  range: ViolationsRange
  from: string
  to: string
  bucketMs: number
  /** Events with at least one violation in the range (of the chosen source, or all). */
  eventsWithViolations: number
  /** Events held in quarantine now (of the chosen source, or all). */
  quarantined: number
  /** Held events that retention deleted before they were released, ever (of the chosen source, or all). */
  quarantineExpired: number
  groups: ViolationGroup[]
}

/** The `Violation Generated` event's property names (Segment's forwarding feature). */
export const VIOLATION_EVENT = 'Violation Generated'
export const VIOLATION_USER_ID = 'schema-violations'
