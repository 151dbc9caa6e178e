// An event as destinations receive it: the payload the client sent plus Loupe's normalized fields, the way
// Segment delivers (type, messageId, timestamp corrected for clock skew, originalTimestamp, sentAt,
// receivedAt). The source's write key stays home.

import type { SegmentEvent } from '../destinations/driver'
import type { OutgoingRow } from '../store/destinations'

export function toOutgoingEvent(row: OutgoingRow): SegmentEvent {
  const payload = JSON.parse(row.payload) as SegmentEvent
  delete payload.writeKey
  const iso = (ms: number | null) => (ms === null ? undefined : new Date(ms).toISOString())
  return {
    ...payload,
    type: row.type,
    messageId: row.message_id,
    timestamp: iso(row.timestamp),
    originalTimestamp: iso(row.original_timestamp) ?? payload.timestamp,
    sentAt: iso(row.sent_at),
    receivedAt: iso(row.received_at)
  }
}

/** Segment's `integrations` rule: a destination named in it is on or off by its value; otherwise `All` decides. */
export function integrationsAllow(event: SegmentEvent, names: readonly string[]): boolean {
  const integrations = event.integrations
  if (typeof integrations !== 'object' || integrations === null || Array.isArray(integrations)) return true
  const flags = integrations as Record<string, unknown>
  for (const name of names) if (Object.prototype.hasOwnProperty.call(flags, name)) return flags[name] !== false
  return flags.All !== false
}
