// The text of a replay dry run for an Action destination: the requests its code made against the capturing
// agent (capture.ts), in order, then what would not be sent and why. Secrets are masked by the caller.

import type { SegmentEvent } from '../driver'
import type { Exchange } from './instrument'

/** Per request body: a dry run shows whole requests, but one huge batch must not swamp the page. */
const MAX_BODY = 64 * 1024

export interface PreviewRun {
  exchanges: readonly Exchange[]
  /** Indexes of the events some enabled subscription matches. */
  matched: ReadonlySet<number>
  failures: ReadonlyMap<number, { reason: string }>
  /** Action calls that completed. */
  executed: number
  stop: { reason: string } | null
}

export function previewText(events: readonly SegmentEvent[], run: PreviewRun): string {
  // As http-post.ts's describePost words a webhook's request: request line, blank line, pretty body.
  const parts = run.exchanges.map((e) => `${e.method} ${e.url ?? '(URL unknown)'}\n\n${bodyText(e.body)}`.trimEnd())
  if (run.matched.size === 0) return '(nothing would be sent: no enabled subscription of this destination matches these events)'
  if (parts.length === 0 && run.executed > 0) parts.push('(the action would run without an HTTP request)')
  const notes: string[] = []
  if (run.stop) notes.push(`The destination's code stopped: ${run.stop.reason}`)
  for (const [index, failure] of run.failures) notes.push(`${eventName(events, index)} would be refused: ${failure.reason}`)
  const unmatched = events.map((_, index) => index).filter((index) => !run.matched.has(index))
  if (unmatched.length > 0) notes.push(`No enabled subscription matches ${unmatched.map((index) => eventName(events, index)).join(', ')}: not sent.`)
  if (parts.length === 0 && notes.length === 0) parts.push('(no request)')
  return [...parts, ...notes].join('\n\n')
}

function eventName(events: readonly SegmentEvent[], index: number): string {
  const id = events[index]?.messageId
  return typeof id === 'string' ? `event ${index + 1} (${id.slice(0, 80)})` : `event ${index + 1}`
}

function bodyText(body: string): string {
  let text = body
  try {
    text = JSON.stringify(JSON.parse(body), null, 2)
  } catch {
    // form-encoded, text, or no body: shown as sent
  }
  return text.length > MAX_BODY ? `${text.slice(0, MAX_BODY)}… (${text.length} characters)` : text
}
