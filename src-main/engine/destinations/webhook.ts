// The webhook destination: POSTs events as JSON to a URL, one per request or `{ "batch": [...] }`,
// optionally signed with an HMAC of the body so the receiver can check it came from this Loupe.

import { createHmac } from 'node:crypto'
import type { WebhookSettings } from '../../../src-shared/api'
import type { DestinationDriver, SegmentEvent, SendResult } from './driver'
import { describePost, postJson } from './http-post'

export const SIGNATURE_HEADER = 'X-Loupe-Signature'

export function webhookDriver(name: string, settings: WebhookSettings): DestinationDriver {
  const body = (events: SegmentEvent[]) => JSON.stringify(settings.batch ? { batch: events } : events[0])
  return {
    batchSize: settings.batch ? (settings.batchSize ?? 100) : 1,
    integrationNames: ['Webhooks', 'Webhook', name],
    describe: (events) => describePost(settings.url, body(events)),
    send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult> {
      const json = body(events)
      const headers: Record<string, string> = { ...(settings.headers ?? {}) }
      if (settings.signingSecret) headers[SIGNATURE_HEADER] = `sha256=${createHmac('sha256', settings.signingSecret).update(json).digest('hex')}`
      return postJson(settings.url, json, headers, signal)
    }
  }
}
