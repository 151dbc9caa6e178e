// The few context fields people look for first, read defensively: the payload is whatever the client
// sent, so any of them may be missing or of the wrong type.

import type { JsonObject, JsonValue } from '../../src-shared/segment'

export interface ContextSummary {
  library: string | null
  pageUrl: string | null
  userAgent: string | null
  ip: string | null
}

function object(value: JsonValue | undefined): JsonObject | null {
  return value && typeof value === 'object' && !Array.isArray(value) ? value : null
}

function text(value: JsonValue | undefined): string | null {
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : null
}

export function contextSummary(payload: JsonObject): ContextSummary {
  const context = object(payload.context)
  const library = object(context?.library)
  const page = object(context?.page)
  const properties = object(payload.properties)
  const name = text(library?.name)
  const version = text(library?.version)
  return {
    library: name ? (version ? `${name} ${version}` : name) : null,
    // A page call may carry its URL in properties rather than context (analytics-node does).
    pageUrl: text(page?.url) ?? (payload.type === 'page' ? text(properties?.url) : null),
    userAgent: text(context?.userAgent),
    ip: text(context?.ip)
  }
}
