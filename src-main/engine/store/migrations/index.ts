import type { Database } from 'better-sqlite3'
import events from './0010-events'
import routing from './0020-routing'
import deliveryRules from './0030-delivery-rules'
import failureResolution from './0040-failure-resolution'
import runAssertions from './0070-run-assertions'
import sourceIdsNeverReused from './0060-source-ids-never-reused'
import testRuns from './0050-test-runs'
import trackingPlans from './0080-tracking-plans'
import ingestValidation from './0090-ingest-validation'
import privacy from './0100-privacy'
import identity from './0110-identity'

export interface Migration {
  /** Multiples of 10, never renumbered once shipped. */
  version: number
  name: string
  up(db: Database): void
}

export const MIGRATIONS: readonly Migration[] = [
  { version: 10, name: 'events', up: events },
  { version: 20, name: 'routing', up: routing },
  { version: 30, name: 'delivery rules and replay', up: deliveryRules },
  { version: 40, name: 'failure resolution', up: failureResolution },
  { version: 50, name: 'test runs', up: testRuns },
  { version: 60, name: 'source ids never reused', up: sourceIdsNeverReused },
  { version: 70, name: 'assertions per run', up: runAssertions },
  { version: 80, name: 'tracking plans', up: trackingPlans },
  { version: 90, name: 'validation at ingest', up: ingestValidation },
  { version: 100, name: 'privacy', up: privacy },
  { version: 110, name: 'identity resolution', up: identity }
]

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version
