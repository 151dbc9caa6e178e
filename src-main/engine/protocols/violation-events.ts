// Segment's violation forwarding: one `Violation Generated` track event per violation, into a chosen source,
// with Segment's property names. Their messageIds derive from the event's, so a client's retry of a batch
// (deduplicated) does not forward its violations twice.

import { VIOLATION_EVENT, VIOLATION_USER_ID } from '../../../src-shared/enforcement'
import type { Violation } from '../../../src-shared/plans'
import type { EventRow } from '../store/event-row'
import { SEGMENT_VIOLATION_TYPE, fieldOf } from './enforce'

export interface ForwardingContext {
  sourceId: number
  sourceName: string
  plan: { id: number; name: string } | null
  targetSourceId: number
}

export function violationEvents(row: EventRow, violations: Violation[], ctx: ForwardingContext): EventRow[] {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
  const appVersion = appVersionOf(row.payload)
  return violations.map((v, seq) => {
    const messageId = `loupe-violation-${ctx.sourceId}-${seq}-${row.messageId}`
    const payload = JSON.stringify({
      type: 'track',
      event: VIOLATION_EVENT,
      userId: VIOLATION_USER_ID,
      messageId,
      timestamp: iso(row.receivedAt),
      properties: {
        eventName: row.name,
        eventType: row.type,
        eventMessageID: row.messageId,
        eventSentAt: iso(row.sentAt),
        eventTimestamp: iso(row.timestamp),
        sourceID: String(ctx.sourceId),
        sourceName: ctx.sourceName,
        sourceSlug: slug(ctx.sourceName),
        trackingPlanID: ctx.plan ? String(ctx.plan.id) : null,
        trackingPlanName: ctx.plan?.name ?? null,
        violationDescription: v.message,
        violationField: fieldOf(v.pointer),
        violationType: SEGMENT_VIOLATION_TYPE[v.kind],
        appVersion
      },
      context: { library: { name: 'loupe', version: 'protocols' } }
    })
    return {
      sourceId: ctx.targetSourceId,
      type: 'track',
      name: VIOLATION_EVENT,
      userId: VIOLATION_USER_ID,
      anonymousId: null,
      messageId,
      messageIdGenerated: false,
      receivedAt: row.receivedAt,
      timestamp: row.receivedAt,
      originalTimestamp: row.receivedAt,
      sentAt: null,
      size: Buffer.byteLength(payload),
      warnings: null,
      payload
    }
  })
}

const slug = (name: string): string => name.toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')

function appVersionOf(payload: string): string | null {
  // Only when the client says it (context.app.version); a cheap test first, the payload is not parsed otherwise.
  if (!payload.includes('"app"')) return null
  try {
    const version = (JSON.parse(payload) as { context?: { app?: { version?: unknown } } }).context?.app?.version
    return typeof version === 'string' ? version : null
  } catch {
    return null
  }
}
