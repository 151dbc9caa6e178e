// The Segment-compatible forward: sends events on to any Segment tracking API (Segment itself, RudderStack,
// another Loupe) as `/v1/batch` with the receiving source's write key — the way out when one machine is not
// enough (DESIGN.md "When one machine is not enough"). messageIds travel along, so the receiver dedupes a
// batch Loupe had to send twice.

import type { SegmentForwardSettings } from '../../../src-shared/api'
import type { DestinationDriver, SegmentEvent, SendResult } from './driver'
import { describePost, postJson } from './http-post'

export function segmentForwardDriver(name: string, settings: SegmentForwardSettings): DestinationDriver {
  const url = `${settings.url.replace(/\/+$/, '')}/v1/batch`
  const auth = `Basic ${Buffer.from(`${settings.writeKey}:`).toString('base64')}`
  // The receiver computes its own receivedAt; sentAt is now (it corrects clock skew against it).
  const body = (events: SegmentEvent[]) =>
    JSON.stringify({ batch: events.map(({ receivedAt: _received, sentAt: _sent, ...event }) => event), sentAt: new Date().toISOString() })
  return {
    batchSize: settings.batchSize ?? 100,
    integrationNames: ['Segment', 'Segment.io', name],
    describe: (events) => describePost(url, body(events)),
    send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult> {
      return postJson(url, body(events), { authorization: auth }, signal)
    }
  }
}
