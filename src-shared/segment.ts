// Segment's message shapes as Loupe sees them on the wire. Everything a client sends is untrusted:
// these types describe what a *validated* message holds, not what arrives.

export const SEGMENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type SegmentType = (typeof SEGMENT_TYPES)[number]

export function isSegmentType(value: unknown): value is SegmentType {
  return typeof value === 'string' && (SEGMENT_TYPES as readonly string[]).includes(value)
}

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue }
export type JsonObject = { [key: string]: JsonValue }

/** A single Segment message, as a client sends it (fields Loupe reads; everything else is kept as-is). */
export interface SegmentMessage extends JsonObject {
  type: SegmentType
}

/** The body of `/v1/batch`, `/v1/import`, `/v1/b`. */
export interface SegmentBatchEnvelope {
  batch: unknown[]
  writeKey?: string
  sentAt?: string
  context?: JsonObject
  integrations?: JsonObject
}

/** Segment's documented per-message, per-batch and per-request limits. */
export const SEGMENT_LIMITS = {
  messageBytes: 32 * 1024,
  batchBytes: 500 * 1024,
  batchMessages: 2500,
  messageIdChars: 100
} as const
