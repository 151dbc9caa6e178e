// Identity resolution and profiles (issue #8): the identity graph, merge rules, profiles, computed traits and
// audiences. The contract between the engine, the renderer and tests.

import type { EventSummary } from './api'

/** Built-in identifier kinds; external ids add their own (`email`, `device_id`, …). */
export const USER_ID = 'user_id'
export const ANONYMOUS_ID = 'anonymous_id'

/** An external id: a kind of identifier taken from the first of these payload paths that holds a string. */
export interface ExternalIdRule {
  /** Lower-case letters, digits and `_` (`email`, `device_id`); not `user_id` / `anonymous_id`. */
  kind: string
  /** Dotted paths into the message, e.g. `traits.email`, `context.traits.email`, `context.device.id`. */
  paths: string[]
}

/** GET/PUT /api/identity/settings — Segment Unify's merge rules. */
export interface IdentitySettings {
  /** Resolve identities at all (default true). Off: events are not added to profiles. */
  enabled: boolean
  externalIds: ExternalIdRule[]
  /** Values that never identify anyone (compared case-insensitively, trimmed). */
  blockedValues: string[]
  /** Also block values made only of zeros and dashes (`0`, `00000000-0000-…`, empty): Segment's `^[0-]*$`. */
  blockZeroIds: boolean
  /** Most identifiers of a kind one profile may hold; kinds not listed allow `defaultLimit`. */
  limits: Record<string, number>
  defaultLimit: number
  /** Kinds from highest priority down; kinds not listed follow, alphabetically. */
  priority: string[]
}

export const DEFAULT_IDENTITY_SETTINGS: IdentitySettings = {
  enabled: true,
  externalIds: [
    { kind: 'email', paths: ['traits.email', 'context.traits.email'] },
    { kind: 'device_id', paths: ['context.device.id'] }
  ],
  blockedValues: ['-1', 'null', 'undefined', 'anonymous', 'unknown', 'none', 'nil'],
  blockZeroIds: true,
  limits: { user_id: 1 },
  defaultLimit: 5,
  priority: ['user_id', 'email']
}

/** PUT /api/identity/settings body: the settings, and whether to rebuild the graph from history now. */
export interface IdentitySettingsChange extends Partial<IdentitySettings> {
  rebuild?: boolean
}

/** GET /api/identity/status */
export interface IdentityStatus {
  enabled: boolean
  /** Events dealt with, and stored: the difference is the backlog. */
  position: number
  latestEventId: number
  /** A rebuild from history is running (audience changes are not emitted until it has caught up). */
  rebuilding: boolean
  profiles: number
  identities: number
  merges: number
  refusedMerges: number
}

export interface Identity {
  kind: string
  value: string
  firstSeen: string
  lastSeen: string
  /** The event that first carried it. */
  firstEventId: string
  /** How it joined the profile: the identifier it was seen with and the event, or null for the first one. */
  linkedBy: { kind: string; value: string; eventId: string; at: string } | null
}

export interface ProfileSummary {
  id: number
  /** The best name to show: an email trait, a user id, else an anonymous id. */
  label: string
  userId: string | null
  identities: number
  firstSeen: string
  lastSeen: string
}

export interface ProfileTrait {
  key: string
  value: unknown
  /** When the event that set it happened, and which event. */
  at: string
  eventId: string
}

export interface ComputedValue {
  traitId: number
  name: string
  key: string
  value: unknown
}

export interface ProfileDetail extends ProfileSummary {
  identityList: Identity[]
  traits: ProfileTrait[]
  computed: ComputedValue[]
  audiences: { id: number; name: string; key: string; enteredAt: string }[]
  events: number
  /** Profiles merged into this one (their ids still lead here). */
  mergedFrom: number[]
}

/** GET /api/profiles/:id/events — newest first. */
export interface ProfileEventsPage {
  events: EventSummary[]
  /** Pass as `before` for the next page; null at the end. */
  next: string | null
}

export type IdentityLogKind = 'merge' | 'refused' | 'blocked'

/** The audit trail: every merge, refused merge and blocked value, with the event that caused it. */
export interface IdentityLogEntry {
  id: number
  kind: IdentityLogKind
  at: string
  eventId: string
  /** The identifier of the event that made the link (or was blocked). */
  identity: { kind: string; value: string }
  /** The identifier it was seen with (merge / refused). */
  other: { kind: string; value: string } | null
  /** merge: the profile that was merged away and the one that kept everything. refused: the two profiles kept apart. */
  fromProfile: number | null
  intoProfile: number | null
  reason: string
  /** The same refusal or blocked value seen again counts here instead of writing a new entry. */
  count: number
  lastEventId: string
}

export interface GraphNode {
  id: number
  kind: string
  value: string
  profileId: number
  firstSeen: string
}

export interface GraphEdge {
  from: number
  to: number
  eventId: string
  at: string
  /** The link was seen but not followed: a merge rule refused it. */
  refused: boolean
}

/** GET /api/profiles/:id/graph: the profile's identifiers, the links between them, and refused links to others. */
export interface IdentityGraph {
  profileId: number
  nodes: GraphNode[]
  edges: GraphEdge[]
  log: IdentityLogEntry[]
}

export type ComputedTraitType = 'count' | 'sum' | 'min' | 'max' | 'first' | 'last'

export const COMPUTED_TRAIT_TYPES: readonly ComputedTraitType[] = ['count', 'sum', 'min', 'max', 'first', 'last']

export interface ComputedTraitDefinition {
  name: string
  type: ComputedTraitType
  /** The track event counted or read; null: every track, page and screen. */
  event: string | null
  /** Dotted path of the value read (sum/min/max need numbers; first/last any value), e.g. `properties.revenue`. */
  property: string | null
  /** Only events of the last N days; null: all time. */
  windowDays: number | null
}

export type ComputationState = 'computing' | 'live'

export interface ComputedTrait extends ComputedTraitDefinition {
  id: number
  /** The snake_case trait key it appears under. */
  key: string
  /** computing: history is being read into it; live: up to date as events arrive. */
  state: ComputationState
  profiles: number
  createdAt: string
}

export type ConditionOperator = '=' | '!=' | '>' | '>=' | '<' | '<=' | 'contains' | 'exists' | 'not_exists'

export const CONDITION_OPERATORS: readonly ConditionOperator[] = ['=', '!=', '>', '>=', '<', '<=', 'contains', 'exists', 'not_exists']

export type AudienceCondition =
  /** A profile trait (from identify calls). */
  | { kind: 'trait'; key: string; op: ConditionOperator; value?: string | number | boolean }
  /** A computed trait's value. */
  | { kind: 'computed'; traitId: number; op: ConditionOperator; value?: string | number | boolean }
  /**
   * A track event done at least `atLeast` times (default 1), or (did: false) fewer than `atLeast` times — never,
   * by default — within the last N days (null: ever).
   */
  | { kind: 'event'; event: string; did: boolean; withinDays: number | null; atLeast?: number }

export interface AudienceDefinition {
  name: string
  /** all: every condition holds; any: at least one. */
  match: 'all' | 'any'
  conditions: AudienceCondition[]
  /** Where entering and leaving are sent, as events of this source (null: not sent). */
  sourceId: number | null
  /** Send `identify` with the trait `<key>: true|false`, and/or `Audience Entered` / `Audience Exited` tracks. */
  emitIdentify: boolean
  emitTrack: boolean
}

export interface Audience extends AudienceDefinition {
  id: number
  key: string
  state: ComputationState
  members: number
  createdAt: string
}

/** POST /api/computed-traits/preview and /api/audiences/preview: what a draft would give right now. */
export interface ComputationPreview {
  /** Profiles it has a value for (computed trait) or that are members (audience). */
  profiles: number
  /** All profiles, for scale. */
  total: number
  samples: { profileId: number; label: string; value: unknown }[]
}

export const AUDIENCE_ENTERED = 'Audience Entered'
export const AUDIENCE_EXITED = 'Audience Exited'

/** Audience events Loupe sends have messageIds starting so, then the data dir's secret salt; they are not the person's activity (not in profiles). */
export const AUDIENCE_MESSAGE_PREFIX = 'loupe-audience-'
