// What an error thrown by an Action destination means for the events it was sending. actions-core has no
// retry policy of its own (Segment's infrastructure retries), so the classes are read here:
//  - HTTPError: the vendor answered; its status decides (the router's rules) and Retry-After is kept;
//  - node-fetch FetchError, timeouts, aborts, RetryableError: no usable answer → retry;
//  - ajv / PayloadValidationError / other IntegrationErrors with a 4xx: this event can never be sent;
//  - anything else (a bug in the destination's code) fails the event with its message rather than
//    retrying something that will fail the same way.

import { retryAfterMs } from '../retry-after'

export type ErrorVerdict =
  /** Stop the whole send: the router retries it (network) or applies `status` (HTTP). */
  | { kind: 'stop'; status: number | null; reason: string; retryAfterMs: number | null; responseBody: string | null }
  /** Only this event (or this chunk's events) failed, for good. */
  | { kind: 'event'; status: number; reason: string }

interface ThrownError extends Error {
  code?: string
  status?: number
  type?: string
  response?: { status?: number; content?: string; headers?: { get(name: string): string | null } }
}

// The router's rule (routing/retry-policy.ts), so a status means the same in a multistatus entry.
const RETRYABLE = (status: number): boolean => status === 408 || status === 429 || status >= 500

export function classifyError(error: unknown): ErrorVerdict {
  const e = (error ?? {}) as ThrownError
  const message = typeof e.message === 'string' && e.message ? e.message : String(error)
  if (e.name === 'HTTPError' && typeof e.response?.status === 'number') {
    const status = e.response.status
    const body = typeof e.response.content === 'string' ? e.response.content : null
    const reason = `HTTP ${status}${body ? `: ${body.slice(0, 300)}` : ''}`
    if (RETRYABLE(status) || status < 400) return { kind: 'stop', status, reason, retryAfterMs: retryAfterMs(e.response.headers?.get('retry-after') ?? null), responseBody: body }
    return { kind: 'event', status, reason }
  }
  if (e.name === 'FetchError' || e.name === 'AbortError' || e.name === 'TimeoutError' || e.code === 'ETIMEDOUT' || e.code === 'REQUESTTIMEOUTERROR' || e.code === 'REQUESTCLIENTERROR') {
    return { kind: 'stop', status: null, reason: message, retryAfterMs: null, responseBody: null }
  }
  if (e.name === 'AggregateAjvError' || e.name === 'ValidationError') return { kind: 'event', status: 400, reason: `invalid payload: ${message}` }
  if (typeof e.status === 'number' && e.status >= 400) {
    if (RETRYABLE(e.status)) return { kind: 'stop', status: e.status, reason: message, retryAfterMs: null, responseBody: null }
    return { kind: 'event', status: e.status, reason: message }
  }
  return { kind: 'event', status: 400, reason: `the destination's code failed: ${message}` }
}

/** A multistatus entry's status: retryable ones stop the send like a thrown error would. */
export function isRetryableStatus(status: number): boolean {
  return RETRYABLE(status)
}
