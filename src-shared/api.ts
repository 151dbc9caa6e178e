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
