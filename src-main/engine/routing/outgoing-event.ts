// An event as destinations receive it: the payload the client sent plus Loupe's normalized fields, the way
// Segment delivers (type, messageId, timestamp corrected for clock skew, originalTimestamp, sentAt,
// receivedAt). The source's write key stays home.

import type { SegmentEvent } from '../destinations/driver'
import type { OutgoingRow } from '../store/destinations'
import { applyProtocols } from '../protocols/protocols-column'

export function toOutgoingEvent(row: OutgoingRow): SegmentEvent {
  const payload = JSON.parse(row.payload) as SegmentEvent
  delete payload.writeKey
  const sentTimestamp = payload.timestamp
  // Set on the parsed object rather than spread into a new one: same key order, less garbage per event.
  payload.type = row.type
  payload.messageId = row.message_id
  payload.timestamp = iso(row.timestamp)
  payload.originalTimestamp = iso(row.original_timestamp) ?? sentTimestamp
  payload.sentAt = iso(row.sent_at)
  payload.receivedAt = iso(row.received_at)
  // Tracking-plan enforcement shapes what is delivered, never what is stored.
  if (row.protocols) applyProtocols(payload, row.protocols)
  return payload
}

// Events of one request share receivedAt and sentAt (and often timestamps): recent conversions are remembered.
const recent = new Map<number, string>()

export function iso(ms: number | null): string | undefined {
  if (ms === null) return undefined
  let text = recent.get(ms)
  if (text === undefined) {
    if (recent.size >= 1024) recent.clear()
    text = new Date(ms).toISOString()
    recent.set(ms, text)
  }
  return text
}

/** Segment's `integrations` rule: a destination named in it is on or off by its value; otherwise `All` decides. */
export function integrationsAllow(event: SegmentEvent, names: readonly string[]): boolean {
  const integrations = event.integrations
  if (typeof integrations !== 'object' || integrations === null || Array.isArray(integrations)) return true
  const flags = integrations as Record<string, unknown>
  for (const name of names) if (Object.prototype.hasOwnProperty.call(flags, name)) return flags[name] !== false
  return flags.All !== false
}
