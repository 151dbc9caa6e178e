// Deleting a user's data (a regulation request): their events and everything derived from them — the PII
// findings, violations and quarantine live on the event rows and go with them; search index rows by trigger;
// delivery-log samples that contain the id are scrubbed; archive lines and warehouse rows are removed by the
// destinations that keep them. The audit record (deletions table) keeps the id only as its SHA-256.
// Runs as a job on the main thread: store work in chunks, so ingest keeps going meanwhile.

import type { Deletion } from '../../../src-shared/privacy'
import type { EngineContext } from '../context'
import type { ForgetUser } from '../destinations/driver'

const PAGE = 500
const CHUNK = 1000

export async function runDeletion(ctx: EngineContext, id: number, who: ForgetUser): Promise<void> {
  const progress = (args: Omit<Parameters<typeof ctx.store.command<'privacy.deletionProgress'>>[1], 'id'>) => ctx.store.command('privacy.deletionProgress', { id, ...args })
  try {
    const ids: number[] = []
    let before: number | undefined
    for (;;) {
      const page = ctx.queries.search({ [who.kind]: who.id, limit: PAGE, ...(before !== undefined ? { before } : {}) })
      ids.push(...page.events.map((e) => Number(e.id)))
      if (page.nextCursor === null || page.events.length === 0) break
      before = Number(page.events[page.events.length - 1]!.id)
    }
    const upTo = ids.length > 0 ? Math.max(...ids) : 0
    for (let i = 0; i < ids.length; i += CHUNK) {
      const chunk = ids.slice(i, i + CHUNK)
      let deleted = 0
      for (let n = -1; n !== 0; deleted += n) n = await ctx.store.command('events.clear', { scope: { kind: 'ids', ids: chunk }, upTo, chunk: CHUNK, reason: 'a privacy deletion' })
      await progress({ state: 'running', events: deleted })
    }
    await progress({ state: 'running', deliverySamples: await ctx.store.command('privacy.scrubSamples', { needles: [who.id] }) })
    for (const destination of ctx.destinations.list()) {
      const driver = ctx.router.worker(destination.id)?.driver
      if (!driver?.forgetUser) continue
      const removed = await driver.forgetUser(who)
      await progress(destination.kind === 'warehouse' ? { state: 'running', warehouseRows: removed } : { state: 'running', archiveLines: removed })
    }
    await progress({ state: 'done' })
  } catch (error) {
    await progress({ state: 'failed', error: (error as Error).message.split(who.id).join('<id>') }).catch(() => undefined)
  }
}

export interface DeletionDb {
  id: number
  kind: 'userId' | 'anonymousId'
  id_hash: string
  state: Deletion['state']
  requested_at: number
  finished_at: number | null
  events: number
  delivery_samples: number
  archive_lines: number
  warehouse_rows: number
  error: string | null
}

export function toDeletion(row: DeletionDb): Deletion {
  return {
    id: row.id,
    kind: row.kind,
    idHash: row.id_hash,
    state: row.state,
    requestedAt: new Date(row.requested_at).toISOString(),
    finishedAt: row.finished_at === null ? null : new Date(row.finished_at).toISOString(),
    events: row.events,
    deliverySamples: row.delivery_samples,
    archiveLines: row.archive_lines,
    warehouseRows: row.warehouse_rows,
    error: row.error
  }
}
