// Request and response types of the admin surface (`/api/*`), shared by the engine and the renderer.

import type { JsonObject, SegmentType } from './segment'
import type { EventValidation, QuarantineState } from './enforcement'
import type { WarehouseSettings } from './warehouse'
import type { Classification, DestinationPrivacy, Finding } from './privacy'

/** A note Loupe attaches to a stored event, e.g. "Segment would reject this: message is 40 KB > 32 KB". */
export interface EventWarning {
  code: string
  message: string
}

/** What lists show of an event. `id` is Loupe's own opaque id. */
export interface EventSummary {
  id: string
  sourceId: number
  type: SegmentType
  /** `event` of a track, `name` of a page or screen; null otherwise. */
  name: string | null
  userId: string | null
  anonymousId: string | null
  messageId: string
  /** ISO-8601, when Loupe received the request. */
  receivedAt: string
  /** ISO-8601, corrected for the client's clock skew (Segment's rule). */
  timestamp: string
  /** Bytes of the stored JSON payload. */
  size: number
  warnings: EventWarning[]
  /** Tracking-plan violations found at ingest (0 when the source has no plan or the event is clean). */
  violations: number
  /** Quarantine (tracking-plan enforcement): held events are not delivered until released. */
  quarantine: QuarantineState
  /** The highest class of personal data found in it at ingest (classified now), or null. */
  pii: Classification | null
}

/** One stored event: the summary, Loupe's normalized fields and the payload exactly as the client sent it. */
export interface EventRecord extends EventSummary {
  /** The client's own `timestamp`, if it sent one. */
  originalTimestamp: string | null
  sentAt: string | null
  /** True when the client sent no messageId and Loupe made one. */
  messageIdGenerated: boolean
  payload: JsonObject
  /** Validation at ingest: its violations and enforcement; null when it had none (clean, or not validated). */
  validation: EventValidation | null
  /** Personal data found at ingest (masked samples only). */
  findings: Finding[]
}

/** Filters of `GET /api/events` and `GET /api/live` (query-string parameters). */
export interface EventFilters {
  source?: number
  type?: SegmentType
  /** Track event name, or page/screen name. */
  event?: string
  userId?: string
  anonymousId?: string
  /** Matches userId or anonymousId. */
  user?: string
  messageId?: string
  /** Free text over the whole payload (words, in order; the last one may be a prefix). */
  q?: string
  /** Inclusive lower bound on receivedAt (ISO-8601 or epoch ms). */
  from?: string
  /** Exclusive upper bound on receivedAt (ISO-8601 or epoch ms). */
  to?: string
  /** Only events with tracking-plan violations (`violations=1`). */
  violations?: boolean
  /** Only events held in quarantine (`quarantined=1`). */
  quarantined?: boolean
  /** Only events with personal data found (`pii=1`). */
  pii?: boolean
}

export interface EventsQuery extends EventFilters {
  /** Page size, 1–500 (default 50). */
  limit?: number
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string
}

export interface EventsPage {
  events: EventSummary[]
  /** Pass as `cursor` to get the next (older) page; null at the end. */
  nextCursor: string | null
}

export interface Source {
  id: number
  name: string
  writeKey: string
  /** Created on the fly when an unknown write key first sent an event. */
  autoCreated: boolean
  createdAt: string
  eventCount: number
  lastSeenAt: string | null
}

export interface CreateSourceRequest {
  name: string
  /** Optional fixed write key (e.g. for CI); a random one is generated otherwise. */
  writeKey?: string
}

export interface UpdateSourceRequest {
  name?: string
}

export interface Stats {
  version: string
  uptimeSeconds: number
  listening: { trackingUrl: string; adminUrl: string }
  events: {
    total: number
    /** Events committed per second, averaged over the last 10 seconds. */
    perSecond: number
    lastReceivedAt: string | null
  }
  sources: number
  db: { path: string; bytes: number }
  searchIndex: { pending: number }
  capture: CaptureState
}

/** While paused, the tracking API answers 503 + Retry-After: clients keep their events and retry later. */
export interface CaptureState {
  paused: boolean
}

/** One Server-Sent Event of `GET /api/live` (event name `events`). */
export interface LiveBatch {
  events: EventSummary[]
  /** Matching events committed since the last batch that were not sent, to keep the stream bounded. */
  dropped: number
}

/** GET /api/session: whether this browser (cookie) or client (bearer) has an admin session. No data. */
export interface SessionState {
  authenticated: boolean
}

export interface HealthResponse {
  status: 'ok'
}

// ---- Routing -------------------------------------------------------------------------------------------

export type DestinationKind = 'webhook' | 'segment' | 'actions' | 'file' | 'warehouse'

export interface WebhookSettings {
  /** http(s) URL the events are POSTed to. */
  url: string
  /** Extra request headers (e.g. an API key). */
  headers?: Record<string, string>
  /** Send `{ "batch": [...] }` of up to `batchSize` events per request; otherwise one event per request. */
  batch?: boolean
  batchSize?: number
  /** When set, each request carries `X-Loupe-Signature: sha256=<hex HMAC of the body>`. Shown masked once saved. */
  signingSecret?: string
}

/** Any Segment-compatible tracking API (Segment itself, RudderStack, another Loupe), sent as `/v1/batch`. */
export interface SegmentForwardSettings {
  /** Base URL, e.g. `https://api.segment.io` or `http://127.0.0.1:7421`; `/v1/batch` is appended. */
  url: string
  /** The write key of the receiving source (HTTP Basic username). Shown masked once saved. */
  writeKey: string
  /** Events per request (default 100; Segment takes at most 500 KB per batch). */
  batchSize?: number
}

/** One subscription of an Action destination: which events (FQL), which action, and the action's mapping. */
export interface ActionSubscription {
  name: string
  /** Segment's subscription FQL, e.g. `type = "track" and event != "Order Completed"`. */
  subscribe: string
  /** The action's key in the destination definition (e.g. `logEventV2`). */
  partnerAction: string
  /** mapping-kit object (`@path`, `@template`, …) for the action's fields. */
  mapping: Record<string, unknown>
  enabled: boolean
}

/** A destination from Segment's open-source Action destinations catalogue (`@segment/action-destinations`). */
export interface ActionsSettings {
  /** Catalogue slug, e.g. `amplitude`, `mixpanel`, `google-analytics-4`. */
  slug: string
  /** The destination's own settings (its `authentication.fields`); password fields are shown masked once saved. */
  settings: Record<string, unknown>
  /** Defaults to the destination's presets when created without subscriptions. */
  subscriptions: ActionSubscription[]
}

/** NDJSON files in a folder: the local archive (Segment's S3 archive shape when partitioned). */
export interface FileSettings {
  /** Absolute folder path; created if missing. */
  folder: string
  /** gzip each file (`.ndjson.gz`). Default true. */
  gzip?: boolean
  /** Start a new file once the current one reaches this many bytes (default 100 MB). A new day always starts a new file. */
  rotateBytes?: number
  /** `source-day`: `<folder>/<source slug or id>/<YYYY-MM-DD>/…`; `day`: `<folder>/<YYYY-MM-DD>/…`. Default `source-day`. */
  partition?: 'source-day' | 'day'
}

export type DestinationSettings = WebhookSettings | SegmentForwardSettings | ActionsSettings | FileSettings | WarehouseSettings

/**
 * A destination filter (Segment's Destination Filters). Applied in Segment's order: sample → drop → drop
 * properties → allow properties. `if` is Segment's filter FQL; an event "matches" when it evaluates true.
 */
export type DestinationFilter = {
  /** Shown in the UI and in the delivery log when the filter drops an event. */
  title: string
  /** Filter FQL, e.g. `type = "track" and length(userId) < 1`; `all` matches every event. */
  if: string
  enabled?: boolean
  /** Only events of these sources (of the destination's connected ones); all connected sources when absent. */
  sourceIds?: number[]
} & (
  | { action: 'drop' }
  /** Keep `percent` (0–100) of matching events; with `path`, deterministic by that field's value (e.g. `userId`). */
  | { action: 'sample'; percent: number; path?: string }
  /** `fields`: object path → keys to drop (or keep), e.g. `{ "properties": ["email"], "context": ["ip"] }`. */
  | { action: 'drop_properties'; fields: Record<string, string[]> }
  | { action: 'allow_properties'; fields: Record<string, string[]> }
)

/** How a destination is paced. */
export interface DeliveryLimits {
  /** Requests in flight at once (1–16, default 1 — in order). */
  maxInFlight: number
  /** At most this many events per second (null = no limit). */
  eventsPerSecond: number | null
}

/** `paused`: the circuit breaker opened after repeated failures; it probes again at `nextAttemptAt`. */
export type DestinationState = 'idle' | 'sending' | 'backoff' | 'paused' | 'disabled'

export interface DestinationStatus {
  state: DestinationState
  /** The last event id this destination has dealt with. */
  cursor: number
  /** Events of its connected sources after the cursor. */
  pending: number
  /** While backing off: when the next attempt is due. */
  nextAttemptAt: string | null
  lastError: string | null
  /** Events that failed for good (refused, or out of retry time). */
  failed: number
}

export interface Destination {
  id: number
  name: string
  kind: DestinationKind
  settings: DestinationSettings
  enabled: boolean
  sourceIds: number[]
  filters: DestinationFilter[]
  /** Consent categories (e.g. `C0002`, `Advertising`) this destination needs: an event carrying
   * `context.consent.categoryPreferences` reaches it only if every one of them is granted (true). */
  consentCategories: string[]
  limits: DeliveryLimits
  /** What it receives of each class of personal data (default: everything passes). */
  privacy: DestinationPrivacy
  createdAt: string
  status: DestinationStatus
}

export interface CreateDestinationRequest {
  name: string
  kind: DestinationKind
  settings: DestinationSettings
  enabled?: boolean
  sourceIds?: number[]
  filters?: DestinationFilter[]
  consentCategories?: string[]
  limits?: Partial<DeliveryLimits>
  privacy?: Partial<DestinationPrivacy>
}

export interface UpdateDestinationRequest {
  name?: string
  settings?: DestinationSettings
  enabled?: boolean
  /** Replaces the connected sources; a newly connected source starts from now. */
  sourceIds?: number[]
  filters?: DestinationFilter[]
  consentCategories?: string[]
  limits?: Partial<DeliveryLimits>
  privacy?: Partial<DestinationPrivacy>
}

export type AttemptOutcome = 'delivered' | 'retry' | 'failed' | 'filtered' | 'expired'

export interface DeliveryAttempt {
  id: number
  at: string
  durationMs: number
  outcome: AttemptOutcome
  httpStatus: number | null
  error: string | null
  /** The events the cursor moved over with this attempt (none for a retry: the cursor held). */
  firstEventId: string
  lastEventId: string
  /** Events sent in the request. */
  sent: number
  /** Events of the range that were not sent, and why. */
  filtered: { eventId: string; reason: string }[]
  requestSample: string | null
  responseSample: string | null
  /** Set when the attempt belongs to a replay job rather than live delivery. */
  replayId: number | null
}

export interface DeliveryAttemptsPage {
  attempts: DeliveryAttempt[]
  nextCursor: string | null
}

/** `retrying`: pending while the destination backs off after a failure (the reason is its last error). */
export type EventDeliveryStatus = 'delivered' | 'filtered' | 'pending' | 'retrying' | 'failed' | 'expired'

/** What happened to one event at one destination (derived from cursors, attempts and failures). */
export interface EventDelivery {
  destinationId: number
  destinationName: string
  status: EventDeliveryStatus
  reason: string | null
  attemptId: number | null
}

/** GET /api/destinations/:id/metrics: per time bucket, events delivered / not delivered and p95 latency. */
export interface DeliveryMetrics {
  bucketMs: number
  buckets: { at: string; delivered: number; failed: number; retries: number; filtered: number; p95Ms: number | null }[]
}

/** POST /api/destinations/:id/test: one event sent now, outside the cursor, with the exact exchange. */
export interface TestDeliveryRequest {
  /** The event to send; a sample track event when absent. */
  event?: Record<string, unknown>
}

export interface TestDeliveryResult {
  ok: boolean
  httpStatus: number | null
  error: string | null
  durationMs: number
  request: string
  response: string | null
  /** Set when filters, consent or the integrations object would keep this event from the destination. */
  filteredReason: string | null
}

/** POST /api/destinations/filters/preview: which recent events of the sources pass the given filters. */
export interface FilterPreviewRequest {
  sourceIds: number[]
  filters: DestinationFilter[]
  consentCategories?: string[]
  /** How many of the most recent events to try (default 50, at most 500). */
  limit?: number
  /** A saved destination whose privacy controls apply to what is shown (or give `privacy` for a draft). */
  destinationId?: number
  privacy?: Partial<DestinationPrivacy>
}

export interface FilterPreviewResult {
  events: { id: string; summary: EventSummary; passes: boolean; reason: string | null; delivered: Record<string, unknown> | null }[]
}

// ---- Replay ----------------------------------------------------------------------------------------------

export type ReplayState = 'running' | 'paused' | 'cancelled' | 'done' | 'failed'

/** Which stored events a replay sends: of these sources, in a time range, matching an optional FQL condition. */
export interface ReplaySelection {
  sourceIds: number[]
  /** ISO-8601 bounds on receivedAt (inclusive from, exclusive to); open when absent. */
  from?: string
  to?: string
  /** Filter FQL over the event, e.g. `type = "track" and event = "Order Completed"`. */
  where?: string
}

export interface CreateReplayRequest extends ReplaySelection {
  destinationId: number
  /** Show the exact requests for the first `dryRunLimit` events instead of sending. */
  dryRun?: boolean
  dryRunLimit?: number
}

export interface ReplayDryRun {
  dryRun: true
  /** Events the selection holds (up to the scan limit). */
  matched: number
  requests: { events: string[]; request: string; filteredReason: string | null }[]
}

export interface ReplayJob {
  id: number
  destinationId: number
  selection: ReplaySelection
  state: ReplayState
  /** Events selected in total (known once the selection has been scanned). */
  total: number
  /** Events dealt with so far (sent, filtered or failed). */
  processed: number
  delivered: number
  filtered: number
  failed: number
  error: string | null
  createdAt: string
  finishedAt: string | null
}

// ---- Action destinations catalogue ----------------------------------------------------------------------

export interface CatalogueEntry {
  /** The directory in @segment/action-destinations, e.g. `amplitude`: what ActionsSettings.slug holds. */
  slug: string
  /** Segment's metadata id (24 hex digits). */
  id: string
  /** Segment's own slug, e.g. `actions-amplitude`. */
  segmentSlug: string
  name: string
  description: string
  /**
   * Segment's catalogue categories (e.g. `Analytics`, `Advertising`, `Raw Data`), derived at build time from the
   * slug, name and description (scripts/actions-categories.mjs; the package ships none); `Other` when none fit.
   */
  categories: string[]
  /** custom | basic | oauth2 | oauth-managed | none */
  authScheme: string
  actionCount: number
  presetCount: number
  /** Why this destination cannot run locally (Segment-side OAuth apps, Engage audiences, Segment's pipeline), or null. */
  unavailable: string | null
  /** Names an event's `integrations` object may use to turn it on or off (e.g. "Actions Amplitude", "Amplitude"). */
  integrationNames: string[]
}

export interface CatalogueField {
  key: string
  label: string
  description: string
  /** string | text | password | number | integer | boolean | datetime | object */
  type: string
  required: boolean
  default?: unknown
  choices?: { label: string; value: string | number | boolean }[]
  multiple?: boolean
  /** e.g. `uri`, `email`, `password`, `date-time`. */
  format?: string
  /** Segment hides it in its UI (kept at its default). */
  hidden?: boolean
  /** Segment fills its choices from the vendor's API (not available locally). */
  dynamic?: boolean
  /** The keys of an object field. */
  properties?: CatalogueField[]
}

export interface CatalogueAction {
  key: string
  title: string
  description: string
  defaultSubscription: string | null
  fields: CatalogueField[]
  /** mapping-kit defaults of the fields: a starting mapping for a new subscription. */
  defaultMapping: Record<string, unknown>
  /** The action can send many events in one request (performBatch). */
  batching: boolean
}

export interface CatalogueDestination extends CatalogueEntry {
  /** The destination's settings as JSON Schema (draft-07), for a generated form. */
  settingsSchema: Record<string, unknown>
  settings: CatalogueField[]
  actions: CatalogueAction[]
  presetSubscriptions: ActionSubscription[]
}
