// One interface for every kind of destination: take events in Segment's delivered shape, send them,
// and say what the other side answered. Retry decisions are the router's (routing/retry-policy.ts).

import type { DestinationKind, DestinationSettings, SegmentForwardSettings, WebhookSettings } from '../../../src-shared/api'
import { segmentForwardDriver } from './segment-forward'
import { webhookDriver } from './webhook'

export type SegmentEvent = Record<string, unknown>

export interface SendResult {
  /** HTTP status, or null when no answer came (network error, timeout). */
  status: number | null
  error: string | null
  /** From a Retry-After header, when the destination sent one. */
  retryAfterMs: number | null
  requestSample: string
  responseSample: string | null
}

export interface DestinationDriver {
  /** Events per request (1 = one request per event). */
  batchSize: number
  /** Names an event's `integrations` object may use for this destination. */
  integrationNames: string[]
  send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult>
}

export function createDriver(kind: DestinationKind, name: string, settings: DestinationSettings): DestinationDriver {
  switch (kind) {
    case 'webhook':
      return webhookDriver(name, settings as WebhookSettings)
    case 'segment':
      return segmentForwardDriver(name, settings as SegmentForwardSettings)
  }
}

/** The first part of a request or response body, for the delivery log. */
export function sample(text: string, max = 2048): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text
}
