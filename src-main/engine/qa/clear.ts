// Scoped clears and the explicit reset. Each store command deletes one chunk in one transaction (search-index
// rows with it, destinations told of undelivered events — store/clear-events.ts); the loop here runs chunks
// until the scope is empty. Only events committed before the request are deleted: a late flush that
// arrives meanwhile stays, and a reset can never turn into "delete everything from now on".

import type { ClearScope } from '../store/clear-events'
import type { RunReads } from '../store/runs'
import type { StoreThread } from '../store/store-thread'
import type { EventFinder } from './candidates'
import type { Runs } from './runs'

const CHUNK = 5000

export class Clearer {
  constructor(
    private readonly store: StoreThread,
    private readonly reads: RunReads,
    private readonly finder: EventFinder,
    private readonly runs: Runs
  ) {}

  clearSource(sourceId: number): Promise<number> {
    return this.drain({ kind: 'source', sourceId }, this.reads.lastEventId(), `a clear of source ${sourceId}`)
  }

  async clearRun(runId: string): Promise<number> {
    const upTo = this.reads.lastEventId()
    const run = this.runs.get(runId)
    const reason = `a clear of test run ${runId}`
    let deleted = run ? await this.drain({ kind: 'source', sourceId: run.sourceId }, upTo, reason) : 0
    // Events of the run that came through other sources (tag or capture window): named one by one.
    const ids = this.finder.find({ types: null, runId, where: [] }, { upTo, unbounded: true, exceptSourceId: run?.sourceId }).map((c) => c.id)
    for (let i = 0; i < ids.length; i += CHUNK) {
      deleted += await this.drain({ kind: 'ids', ids: ids.slice(i, i + CHUNK) }, upTo, reason)
    }
    return deleted
  }

  /** Every event, and the profiles built from them: identity is rebuilt from what is left (events that arrived meanwhile). */
  async reset(): Promise<number> {
    const deleted = await this.drain({ kind: 'all' }, this.reads.lastEventId(), 'a reset of all events')
    await this.store.command('identity.rebuild', { fresh: true })
    return deleted
  }

  private async drain(scope: ClearScope, upTo: number, reason: string): Promise<number> {
    let total = 0
    for (;;) {
      const n = await this.store.command('events.clear', { scope, upTo, chunk: CHUNK, reason })
      total += n
      if (n === 0 || scope.kind === 'ids') return total
    }
  }
}
