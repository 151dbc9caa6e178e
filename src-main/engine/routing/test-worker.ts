// Tests of one destination worker without an engine: a destination row and the worker's dependencies with
// quick retries, no pacing and no logging, each overridable (the log and the store are the tests' stand-ins).

import type { DestinationRow } from '../store/destinations'
import type { WorkerDeps } from './destination-worker'

export function testDestination(overrides: Partial<DestinationRow> & Pick<DestinationRow, 'kind' | 'settings'>): DestinationRow {
  return {
    id: 1,
    name: 'Test',
    enabled: true,
    createdAt: 0,
    sourceIds: [1],
    filters: [],
    consentCategories: [],
    limits: { maxInFlight: 1, eventsPerSecond: null },
    privacy: { red: 'pass', yellow: 'pass', green: 'pass' },
    ...overrides
  }
}

export function testDeps(overrides: Partial<WorkerDeps> & Pick<WorkerDeps, 'reads' | 'store'>, sourceName: string | null = null): WorkerDeps {
  return {
    policy: { retryWindowMs: 60_000, baseMs: 10, maxMs: 10, breakerThreshold: 5, breakerCooldownMs: 10 },
    driverEnv: (destinationId) => ({ actionsRedirect: null, destinationId, sourceName: () => sourceName }),
    ingestBusy: () => false,
    log: () => {},
    ...overrides
  }
}
