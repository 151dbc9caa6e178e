// The event "send test event" sends when the user gives none: a track call shaped like a real client's,
// marked as Loupe's so nobody mistakes it for traffic.

import { randomUUID } from 'node:crypto'
import type { SegmentEvent } from '../../destinations/driver'

export function testEvent(given?: SegmentEvent): SegmentEvent {
  const now = new Date().toISOString()
  const base: SegmentEvent = {
    type: 'track',
    event: 'Loupe Test Event',
    userId: 'loupe-test-user',
    anonymousId: randomUUID(),
    properties: { test: true, note: 'Sent from Loupe to test this destination.' },
    context: { library: { name: 'loupe', version: 'test' } },
    messageId: `loupe-test-${randomUUID()}`,
    timestamp: now,
    originalTimestamp: now,
    sentAt: now,
    receivedAt: now,
    integrations: {}
  }
  return given ? { ...base, ...given, messageId: typeof given.messageId === 'string' ? given.messageId : base.messageId } : base
}
