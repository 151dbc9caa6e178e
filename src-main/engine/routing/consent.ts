// Segment's consent enforcement (https://segment.com/docs/privacy/consent-management/consent-in-segment-connections/):
//  - "Events without the consent object continue to flow to destinations without consent enforcement":
//    no `context.consent.categoryPreferences` (no context, no consent, consent without preferences, or
//    a null there) → the event passes.
//  - With preferences present, an event reaches a destination only if every category mapped to it is
//    true; a category the event does not mention counts as false ("consent is considered to be false
//    for all categories" for an empty preference object).
//  - A destination mapped to no category is not subject to consent.
// Preferences that are present but not an object (a string, a list) cannot be read as consent, so the
// event is held back: a privacy control should fail closed.

import type { SegmentEvent } from '../destinations/driver'

/** Why consent keeps `event` from a destination needing `categories`, or null when it may go. */
export function consentBlocks(event: SegmentEvent, categories: readonly string[]): string | null {
  if (categories.length === 0) return null
  const preferences = categoryPreferences(event)
  if (preferences === undefined) return null
  if (preferences === null) return 'filtered by end user consent: context.consent.categoryPreferences is not an object'
  for (const category of categories) {
    if (!Object.prototype.hasOwnProperty.call(preferences, category) || preferences[category] !== true) {
      return `filtered by end user consent: category "${category}" not granted`
    }
  }
  return null
}

/** undefined: no preferences given; null: given but unreadable. */
function categoryPreferences(event: SegmentEvent): Record<string, unknown> | null | undefined {
  const context = ownObject(event, 'context')
  if (!context) return undefined
  const consent = ownObject(context, 'consent')
  if (!consent) return undefined
  if (!Object.prototype.hasOwnProperty.call(consent, 'categoryPreferences')) return undefined
  const preferences = consent.categoryPreferences
  if (preferences === null || preferences === undefined) return undefined
  if (typeof preferences !== 'object' || Array.isArray(preferences)) return null
  return preferences as Record<string, unknown>
}

function ownObject(parent: Record<string, unknown>, key: string): Record<string, unknown> | undefined {
  if (!Object.prototype.hasOwnProperty.call(parent, key)) return undefined
  const value = parent[key]
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined
}
