// Tracking plans (issue #5, Segment Protocols): the contract between the engine, the renderer and the CLI.
// A plan is a set of rules, each a JSON Schema (draft-07) — Segment's Public API shape — kept in versions.

/** Segment's rule types: COMMON applies to the whole payload of every event; TRACK rules are per event name. */
export type PlanRuleType = 'COMMON' | 'TRACK' | 'IDENTIFY' | 'GROUP' | 'PAGE' | 'SCREEN'

export interface PlanRule {
  type: PlanRuleType
  /** The event name for TRACK rules (case-sensitive, as Segment matches); absent for the others. */
  key?: string
  /** Segment's event versioning (`context.protocols.event_version`); 1 when absent. */
  version?: number
  /**
   * draft-07 JSON Schema over the whole message, shaped as Segment's: top-level `properties` with
   * `properties` (track/page/screen), `traits` (identify/group) and `context`, each an object schema.
   */
  jsonSchema: Record<string, unknown>
}

export interface TrackingPlan {
  id: number
  name: string
  description: string
  /** The current version's number (1, 2, …); every change makes a new version. */
  version: number
  rules: PlanRule[]
  /** Sources this plan is connected to (a source has at most one plan). */
  sourceIds: number[]
  createdAt: string
  updatedAt: string
}

export interface PlanVersionSummary {
  version: number
  createdAt: string
  note: string | null
  rules: number
}

export interface CreatePlanRequest {
  name: string
  description?: string
  rules?: PlanRule[]
  /** Sources to connect (each leaves any other plan). */
  sourceIds?: number[]
}

/** GET /api/plans/:id/versions/:v — one kept version in full. */
export interface PlanVersion {
  planId: number
  version: number
  createdAt: string
  note: string | null
  rules: PlanRule[]
}

/** A rule's identity across versions: Segment's (type, key, version). */
export interface PlanRuleRef {
  type: PlanRuleType
  key?: string
  version: number
}

/** GET /api/plans/:id/diff?from=&to= */
export interface PlanDiff {
  planId: number
  from: number
  to: number
  added: PlanRuleRef[]
  removed: PlanRuleRef[]
  /** Rules in both versions whose schema differs, with the JSON pointers (into jsonSchema) that differ. */
  changed: (PlanRuleRef & { paths: string[] })[]
}

/** POST /api/plans/import also takes "a JSON Schema file per event": each schema is over the event's properties. */
export interface JsonSchemaPlanFile {
  name: string
  description?: string
  schemas: Record<string, Record<string, unknown>>
}

export interface UpdatePlanRequest {
  name?: string
  description?: string
  /** Replaces the rules: a new version. */
  rules?: PlanRule[]
  /** Why, kept with the version. */
  note?: string
  /** Replaces the connected sources (each source then leaves any other plan). */
  sourceIds?: number[]
}

/** Segment's tracking-plan export (Public API rules) — what import and export speak. */
export interface SegmentPlanFile {
  name?: string
  description?: string
  rules: { key?: string; type: PlanRuleType; version?: number; jsonSchema: Record<string, unknown> }[]
}

export type ViolationKind = 'unplanned_event' | 'unplanned_property' | 'missing_required' | 'wrong_type' | 'not_allowed'

export interface Violation {
  kind: ViolationKind
  /** JSON pointer into the message, e.g. `/properties/total`; `` for the whole message. */
  pointer: string
  /** e.g. `integer`, `one of "EUR", "USD"`, `matching ^ord_` */
  expected: string | null
  /** The value found, as short JSON (or null when missing). */
  actual: string | null
  message: string
}

/** The result of checking one event against a plan (the validator's answer; stored with events at ingest later). */
export interface ValidationResult {
  planId: number
  planVersion: number
  violations: Violation[]
}

/** POST /api/plans/:id/revalidate: a what-if run of the plan over stored events. */
export interface RevalidateRequest {
  sourceIds?: number[]
  from?: string
  to?: string
}

export interface RevalidateJob {
  id: string
  planId: number
  planVersion: number
  state: 'running' | 'done' | 'failed' | 'cancelled'
  total: number
  checked: number
  withViolations: number
  /** Violations grouped by event name and kind, most frequent first. */
  groups: { event: string; kind: ViolationKind; pointer: string; count: number; sampleEventId: string }[]
  error: string | null
}

/** GET /api/sources/:id/schema: every event name and property actually seen, plan or not. */
export interface SourceSchema {
  sourceId: number
  events: {
    type: string
    /** Track event name, page/screen name, or null for identify/group/alias. */
    name: string | null
    count: number
    firstSeen: string
    lastSeen: string
    /** Planned in the source's plan (null when no plan is connected). */
    planned: boolean | null
    properties: { path: string; types: string[]; count: number; example: string | null }[]
  }[]
  /** Events examined (the most recent ones, up to the scan limit). */
  scanned: number
}

/** POST /api/plans/infer: a draft plan from stored traffic of a source and time range, to review then save. */
export interface InferPlanRequest {
  sourceId: number
  from?: string
  to?: string
  /** A property is required when present in at least this share of an event's occurrences (default 1.0). */
  requiredThreshold?: number
}
