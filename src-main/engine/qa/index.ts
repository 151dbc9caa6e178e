// QA mode's engine side, built once by createEngine: runs, assertions (with wait-for), clears.

import type { LiveBus } from '../live-bus'
import type { EventQueries } from '../store/events-query'
import { RunReads } from '../store/runs'
import type { SourceRegistry } from '../store/sources'
import type { StoreThread } from '../store/store-thread'
import type { Database } from 'better-sqlite3'
import { Asserter } from './assert'
import { EventFinder } from './candidates'
import { Clearer } from './clear'
import { Runs } from './runs'
import { Waiters } from './wait-for'

export interface Qa {
  runs: Runs
  finder: EventFinder
  asserter: Asserter
  waiters: Waiters
  clearer: Clearer
}

export function createQa(deps: { db: Database; queries: EventQueries; store: StoreThread; sources: SourceRegistry; live: LiveBus }): Qa {
  const reads = new RunReads(deps.db)
  const runs = new Runs(reads, deps.store, deps.sources)
  const finder = new EventFinder(deps.queries, reads, runs)
  const waiters = new Waiters(deps.live)
  return {
    runs,
    finder,
    waiters,
    asserter: new Asserter(finder, deps.queries, reads, runs, waiters),
    clearer: new Clearer(deps.store, reads, finder, runs)
  }
}
