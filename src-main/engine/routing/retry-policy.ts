// What an answer means for the events sent (Segment's delivery rules): network errors, timeouts, 408, 429
// and 5xx are worth retrying, with exponential backoff and jitter (Retry-After honoured) until the retry
// window closes; any other 4xx, and a redirect (not followed), refuses the events for good; 2xx delivers them.

import type { SendResult } from '../destinations/driver'

export type Verdict =
  | { kind: 'delivered' }
  | { kind: 'retry'; reason: string; afterMs: number | null }
  | { kind: 'failed'; reason: string }

export function classify(result: SendResult): Verdict {
  if (result.status === null) return { kind: 'retry', reason: result.error ?? 'no answer', afterMs: null }
  if (result.status < 300) return { kind: 'delivered' }
  // A redirect is not followed (the body would not be re-sent as the destination expects): nothing arrived.
  if (result.status < 400) return { kind: 'failed', reason: `HTTP ${result.status}: redirects are not followed; use the final URL` }
  // The driver's own explanation (e.g. a field the mapping could not fill) says more than the status alone.
  const reason = !result.error ? `HTTP ${result.status}` : result.error.startsWith(`HTTP ${result.status}`) ? result.error : `HTTP ${result.status}: ${result.error}`
  if (result.status === 408 || result.status === 429 || result.status >= 500) return { kind: 'retry', reason, afterMs: result.retryAfterMs }
  return { kind: 'failed', reason }
}

export interface BackoffPolicy {
  baseMs: number
  maxMs: number
}

/** The wait before retry number `attempt` (1, 2, …): base × 2^(attempt−1), capped, ±25 % jitter. */
export function backoffMs(attempt: number, policy: BackoffPolicy, random: () => number = Math.random): number {
  const exact = Math.min(policy.baseMs * 2 ** Math.max(0, attempt - 1), policy.maxMs)
  return Math.round(exact * (0.75 + random() * 0.5))
}
