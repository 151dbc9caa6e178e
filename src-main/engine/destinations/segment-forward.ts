// The Segment-compatible forward: sends events on to any Segment tracking API (Segment itself, RudderStack,
// another Loupe) as `/v1/batch` with the receiving source's write key — the way out when one machine is not
// enough (DESIGN.md "When one machine is not enough"). messageIds travel along, so the receiver dedupes a
// batch Loupe had to send twice.

import type { SegmentForwardSettings } from '../../../src-shared/api'
import type { DestinationDriver, SegmentEvent, SendResult } from './driver'
import { postJson } from './http-post'

export function segmentForwardDriver(name: string, settings: SegmentForwardSettings): DestinationDriver {
  const url = `${settings.url.replace(/\/+$/, '')}/v1/batch`
  const auth = `Basic ${Buffer.from(`${settings.writeKey}:`).toString('base64')}`
  return {
    batchSize: settings.batchSize ?? 100,
    integrationNames: ['Segment', 'Segment.io', name],
    send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult> {
      // The receiver computes its own receivedAt; sentAt is now (it corrects clock skew against it).
      const batch = events.map(({ receivedAt: _received, sentAt: _sent, ...event }) => event)
      return postJson(url, JSON.stringify({ batch, sentAt: new Date().toISOString() }), { authorization: auth }, signal)
    }
  }
}
