// The attempts log is newest first and paged backwards; a refresh brings the newest page again, which
// must join the top without duplicating what is already shown or dropping what was paged in.

import type { DeliveryAttempt } from '../../../src-shared/api'

export function mergeNewest(shown: readonly DeliveryAttempt[], newest: readonly DeliveryAttempt[]): DeliveryAttempt[] {
  const top = shown[0]?.id ?? -1
  const fresh = newest.filter((a) => a.id > top)
  // An attempt already shown can change no more, except that a refresh may carry newer copies of
  // ones in the newest page; take the engine's copy of those.
  const updated = new Map(newest.map((a) => [a.id, a]))
  return [...fresh, ...shown.map((a) => updated.get(a.id) ?? a)]
}

export function appendOlder(shown: readonly DeliveryAttempt[], older: readonly DeliveryAttempt[]): DeliveryAttempt[] {
  const ids = new Set(shown.map((a) => a.id))
  return [...shown, ...older.filter((a) => !ids.has(a.id))]
}

export function eventsOf(attempt: DeliveryAttempt): number {
  return attempt.sent + attempt.filtered.length
}
