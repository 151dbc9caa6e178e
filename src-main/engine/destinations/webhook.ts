// The webhook destination: POSTs events as JSON to a URL, one per request or `{ "batch": [...] }`,
// optionally signed with an HMAC of the body so the receiver can check it came from this Loupe.

import { createHmac } from 'node:crypto'
import type { WebhookSettings } from '../../../src-shared/api'
import { sample, type DestinationDriver, type SegmentEvent, type SendResult } from './driver'
import { retryAfterMs } from './retry-after'

export const SIGNATURE_HEADER = 'X-Loupe-Signature'
const TIMEOUT_MS = 10_000

export function webhookDriver(name: string, settings: WebhookSettings): DestinationDriver {
  const batchSize = settings.batch ? (settings.batchSize ?? 100) : 1
  return {
    batchSize,
    integrationNames: ['Webhooks', 'Webhook', name],
    async send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult> {
      const body = JSON.stringify(settings.batch ? { batch: events } : events[0])
      const headers: Record<string, string> = { 'content-type': 'application/json', 'user-agent': 'Loupe', ...(settings.headers ?? {}) }
      if (settings.signingSecret) headers[SIGNATURE_HEADER] = `sha256=${createHmac('sha256', settings.signingSecret).update(body).digest('hex')}`
      try {
        const res = await fetch(settings.url, { method: 'POST', headers, body, signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]), redirect: 'manual' })
        const text = await res.text().catch(() => '')
        return { status: res.status, error: null, retryAfterMs: retryAfterMs(res.headers.get('retry-after')), requestSample: sample(body), responseSample: sample(text) }
      } catch (error) {
        const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message)
        return { status: null, error: reason, retryAfterMs: null, requestSample: sample(body), responseSample: null }
      }
    }
  }
}
