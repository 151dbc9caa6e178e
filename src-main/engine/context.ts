import type { Database } from 'better-sqlite3'
import type { EngineConfig } from './config'
import type { LiveBus } from './live-bus'
import type { AudienceEmitter } from './identity/emitter'
import type { IdentityPreviews } from './identity/preview'
import type { IdentityReads } from './identity/reads'
import type { IngestValidation } from './protocols/ingest-validation'
import type { PrivacyPolicy } from './privacy/policy'
import type { PlanValidators } from './protocols/validator'
import type { Qa } from './qa'
import type { RateMeter } from './rate-meter'
import type { ReplayRunner } from './routing/replay'
import type { Router } from './routing/router'
import type { DestinationReads } from './store/destinations'
import type { EventQueries } from './store/events-query'
import type { PlanReads } from './store/plans'
import type { DestinationSecrets } from './secrets/destination-secrets'
import type { ReplayReads } from './store/replays'
import type { SearchProgress } from './store/search-progress'
import type { SourceRegistry } from './store/sources'
import type { StoreThread } from './store/store-thread'

/** What the HTTP layer reaches of the engine; built once by createEngine. */
export interface EngineContext {
  config: EngineConfig
  version: string
  /** The main thread's connection: reads only (every write goes through `store`). */
  db: Database
  dbPath: string
  token: string
  startedAt: number
  sources: SourceRegistry
  store: StoreThread
  queries: EventQueries
  search: SearchProgress
  live: LiveBus
  rate: RateMeter
  destinations: DestinationReads
  router: Router
  replays: ReplayRunner
  replayReads: ReplayReads
  secrets: DestinationSecrets
  /** QA mode: test runs, assertions and wait-for, scoped clears (qa/). */
  qa: Qa
  /** Tracking plans (reads; writes are store commands) and their compiled validators, by (plan id, version). */
  plans: PlanReads
  planValidators: PlanValidators
  /** Validation at ingest and enforcement per source (protocols/ingest-validation.ts). */
  validation: IngestValidation
  /** PII detection, classification, per-source settings, suppressions (privacy/policy.ts). */
  privacy: PrivacyPolicy
  /** Identity resolution (identity/): profile reads, builder previews, and audience changes sent as events. */
  identity: { reads: IdentityReads; previews: IdentityPreviews; emitter: AudienceEmitter }
  /** Pausing capture makes the tracking API answer 503 + Retry-After (nothing is lost: clients retry). */
  capture: { paused: boolean }
  /** The URLs clients and the UI use, known once the server listens. */
  urls(): { trackingUrl: string; adminUrl: string; loginUrl: string }
}
