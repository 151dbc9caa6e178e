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

/**
 * `masked`: personal data hidden until the user reveals it (pointer → masked sample, as the payload tree shows
 * it): a field with a finding shows its sample here too, never its value.
 */
export function contextSummary(payload: JsonObject, masked?: ReadonlyMap<string, string> | null): ContextSummary {
  const shown = (pointer: string, value: string | null): string | null => (value !== null ? (masked?.get(pointer) ?? value) : null)
  const context = object(payload.context)
  const library = object(context?.library)
  const page = object(context?.page)
  const properties = object(payload.properties)
  const name = shown('/context/library/name', text(library?.name))
  const version = shown('/context/library/version', text(library?.version))
  return {
    library: name ? (version ? `${name} ${version}` : name) : null,
    // A page call may carry its URL in properties rather than context (analytics-node does).
    pageUrl: shown('/context/page/url', text(page?.url)) ?? (payload.type === 'page' ? shown('/properties/url', text(properties?.url)) : null),
    userAgent: shown('/context/userAgent', text(context?.userAgent)),
    ip: shown('/context/ip', text(context?.ip))
  }
}
