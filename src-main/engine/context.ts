import type { Database } from 'better-sqlite3'
import type { EngineConfig } from './config'
import type { LiveBus } from './live-bus'
import type { RateMeter } from './rate-meter'
import type { EventQueries } from './store/events-query'
import type { SearchIndexer } from './store/search-index'
import type { SourceRegistry } from './store/sources'
import type { EventWriter } from './store/writer'

/** What the HTTP layer reaches of the engine; built once by createEngine. */
export interface EngineContext {
  config: EngineConfig
  version: string
  db: Database
  dbPath: string
  token: string
  startedAt: number
  sources: SourceRegistry
  writer: EventWriter
  queries: EventQueries
  search: SearchIndexer
  live: LiveBus
  rate: RateMeter
  /** Purges a deleted source's events in the background. */
  purgeSource(sourceId: number): void
  /** The URLs clients and the UI use, known once the server listens. */
  urls(): { trackingUrl: string; adminUrl: string; loginUrl: string }
}
