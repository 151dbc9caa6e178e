// Builds the query string of /api/events and /api/live. The engine refuses unknown or empty-but-odd
// parameters, so only keys that are set go out, always in the same order (stable URLs, stable tests).

import type { EventsQuery } from '../../src-shared/api'

const KEYS = ['source', 'type', 'event', 'userId', 'anonymousId', 'user', 'messageId', 'q', 'from', 'to', 'violations', 'quarantined', 'pii', 'limit', 'cursor'] as const

export function toQueryString(query: EventsQuery): string {
  const params = new URLSearchParams()
  for (const key of KEYS) {
    const value = query[key]
    if (value === undefined || value === null || value === false) continue
    // Flags are `=1` on the wire; "false" is simply leaving them out.
    const text = value === true ? '1' : String(value)
    if (text.trim() === '') continue
    params.set(key, text)
  }
  return params.toString()
}

export function withQuery(path: string, query: EventsQuery): string {
  const qs = toQueryString(query)
  return qs ? `${path}?${qs}` : path
}
