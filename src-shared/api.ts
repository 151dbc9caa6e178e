// Request and response types of the admin surface (`/api/*`), shared by the engine and the renderer.

import type { JsonObject, SegmentType } from './segment'

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
}

/** One stored event: the summary, Loupe's normalized fields and the payload exactly as the client sent it. */
export interface EventRecord extends EventSummary {
  /** The client's own `timestamp`, if it sent one. */
  originalTimestamp: string | null
  sentAt: string | null
  /** True when the client sent no messageId and Loupe made one. */
  messageIdGenerated: boolean
  payload: JsonObject
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

export type DestinationKind = 'webhook' | 'segment'

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

export type DestinationSettings = WebhookSettings | SegmentForwardSettings

export type DestinationState = 'idle' | 'sending' | 'backoff' | 'disabled'

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
  createdAt: string
  status: DestinationStatus
}

export interface CreateDestinationRequest {
  name: string
  kind: DestinationKind
  settings: DestinationSettings
  enabled?: boolean
  sourceIds?: number[]
}

export interface UpdateDestinationRequest {
  name?: string
  settings?: DestinationSettings
  enabled?: boolean
  /** Replaces the connected sources; a newly connected source starts from now. */
  sourceIds?: number[]
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
}

export interface DeliveryAttemptsPage {
  attempts: DeliveryAttempt[]
  nextCursor: string | null
}

export type EventDeliveryStatus = 'delivered' | 'filtered' | 'pending' | 'failed' | 'expired'

/** What happened to one event at one destination (derived from cursors, attempts and failures). */
export interface EventDelivery {
  destinationId: number
  destinationName: string
  status: EventDeliveryStatus
  reason: string | null
  attemptId: number | null
}
