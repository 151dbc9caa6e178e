// A failed check in words, for the Error a test runner prints: what was expected, what was found, and
// how the closest events differ (usually the one property a developer got wrong).

import type { EventRecord } from '../src-shared/api.js'
import type { AssertResult } from '../src-shared/qa.js'

const MAX_NEAR_MISSES = 5

/** `waited`: the check was a wait-for, so how long it waited is part of the story. */
export function formatAssertResult(result: AssertResult, options: { waited?: boolean } = {}): string {
  const waited = options.waited ? ` after waiting ${formatMs(result.waitedMs)}` : ''
  const lines = [`Loupe: expected ${result.expected}, found ${result.count}${waited}.`]
  if (result.matched) return lines[0]!
  if (result.count > 0 && result.events.length > 0) {
    lines.push('Matching events:')
    for (const event of result.events.slice(0, MAX_NEAR_MISSES)) lines.push(`  ${describeEvent(event)}`)
  }
  if (result.nearMisses.length > 0) {
    lines.push('Closest events:')
    for (const miss of result.nearMisses.slice(0, MAX_NEAR_MISSES)) {
      lines.push(`  ${describeEvent(miss.event)}`)
      for (const difference of miss.differences) lines.push(`    - ${difference}`)
    }
    if (result.nearMisses.length > MAX_NEAR_MISSES) lines.push(`  … and ${result.nearMisses.length - MAX_NEAR_MISSES} more`)
  } else if (result.count === 0) {
    lines.push('No similar events were captured.')
  }
  return lines.join('\n')
}

function describeEvent(event: EventRecord): string {
  const name = event.name === null ? '' : ` ${JSON.stringify(event.name)}`
  const who = event.userId !== null ? `userId ${JSON.stringify(event.userId)}` : `anonymousId ${JSON.stringify(event.anonymousId)}`
  return `${event.type}${name} (${who}, source ${event.sourceId}, received ${event.receivedAt}, id ${event.id})`
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(1)} s`
}
