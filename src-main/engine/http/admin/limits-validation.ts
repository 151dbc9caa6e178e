// A destination's pacing limits from the admin API or a config file, answered with the field
// (e.g. `limits.maxInFlight`). Unset limits keep `base` (the destination's current ones on an update).

import type { DeliveryLimits } from '../../../../src-shared/api'
import { invalid } from './destination-settings'

export function validateLimits(raw: unknown, base: DeliveryLimits): DeliveryLimits {
  if (raw === undefined) return { ...base }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('limits', 'limits must be an object')
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).find((k) => k !== 'maxInFlight' && k !== 'eventsPerSecond')
  if (unknown) invalid(`limits.${unknown}`, `unknown limit "${unknown}"`)
  const limits = { ...base }
  if (input.maxInFlight !== undefined) {
    if (typeof input.maxInFlight !== 'number' || !Number.isInteger(input.maxInFlight) || input.maxInFlight < 1 || input.maxInFlight > 16) invalid('limits.maxInFlight', 'limits.maxInFlight must be a whole number from 1 to 16')
    limits.maxInFlight = input.maxInFlight
  }
  if (input.eventsPerSecond !== undefined) {
    if (input.eventsPerSecond !== null && (typeof input.eventsPerSecond !== 'number' || !(input.eventsPerSecond >= 0.1) || input.eventsPerSecond > 1_000_000)) invalid('limits.eventsPerSecond', 'limits.eventsPerSecond must be a number from 0.1 to 1,000,000, or null for no limit')
    limits.eventsPerSecond = input.eventsPerSecond as number | null
  }
  return limits
}
