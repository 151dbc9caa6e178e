// Reads a change of a source's enforcement settings (src-shared/enforcement.ts) from untrusted input: the
// admin API's PUT and a config file's `sources[].enforcement` take exactly the same values.

import type { SourceEnforcement } from '../../../src-shared/enforcement'

const CHOICES = {
  unplannedEvents: ['allow', 'block'],
  unplannedProperties: ['allow', 'omit'],
  violations: ['allow', 'block', 'omit']
} as const

/** Names a source may block at most ("block this event" is for a handful of noisy events). */
export const MAX_BLOCKED_EVENTS = 1000

export type Fail = (field: string, problem: string) => never

/**
 * `current` with the changes of `input` applied. `forwardTarget` reads `forwardViolationsTo` (an id in the
 * API, a source name in a config file) and fails through `fail` itself.
 */
export function readEnforcementChange<F>(
  input: Record<string, unknown>,
  current: Omit<SourceEnforcement, 'forwardViolationsTo'> & { forwardViolationsTo: F },
  fail: Fail,
  forwardTarget: (value: unknown, field: string) => F
): Omit<SourceEnforcement, 'forwardViolationsTo'> & { forwardViolationsTo: F } {
  const next = { ...current, blockedEvents: [...current.blockedEvents] }
  for (const [key, value] of Object.entries(input)) {
    if (key in CHOICES) {
      const allowed = CHOICES[key as keyof typeof CHOICES] as readonly string[]
      if (typeof value !== 'string' || !allowed.includes(value)) fail(key, `${key}: must be one of ${allowed.join(', ')}`)
      ;(next as Record<string, unknown>)[key] = value
    } else if (key === 'blockedEvents') {
      if (!Array.isArray(value) || value.length > MAX_BLOCKED_EVENTS) fail(key, `blockedEvents: must be a list of at most ${MAX_BLOCKED_EVENTS} event names`)
      value.forEach((name, i) => {
        if (typeof name !== 'string' || name.length === 0 || name.length > 200) fail(`blockedEvents[${i}]`, `blockedEvents[${i}]: must be an event name of 1 to 200 characters`)
      })
      next.blockedEvents = [...new Set(value as string[])]
    } else if (key === 'forwardViolationsTo') next.forwardViolationsTo = forwardTarget(value, key)
    else fail(key, `Unknown field "${key}".`)
  }
  return next
}

export function isDefaultEnforcement(e: SourceEnforcement): boolean {
  return e.unplannedEvents === 'allow' && e.unplannedProperties === 'allow' && e.violations === 'allow' && e.blockedEvents.length === 0 && e.forwardViolationsTo === null
}
