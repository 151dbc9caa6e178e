// The `warehouse` destination: loads delivered events into PostgreSQL in Segment's warehouse schema, one
// schema per source, on a schedule (loadIntervalMs: the worker lets events gather in the log between loads).
// A warehouse that cannot be reached answers "no answer" (the worker backs off and retries the same batch);
// the upsert by id makes every retry and replay idempotent.

import type { WarehouseSettings } from '../../../../src-shared/warehouse'
import type { DestinationDriver, DriverEnv, SendResult } from '../driver'
import { isTransientError, poolFor } from './connection'
import { WarehouseLoader, type LoadSummary } from './loader'
import { schemaName } from './naming'

/** Events per load transaction: big enough to amortise the statements, small enough to keep one load short. */
const BATCH = 5000
const DEFAULT_INTERVAL_SECONDS = 60

export function warehouseDriver(name: string, settings: WarehouseSettings, env: DriverEnv): DestinationDriver {
  const pool = poolFor(settings)
  const loader = new WarehouseLoader(pool)
  const schemaFor = (sourceId: number): string => settings.schemas?.[String(sourceId)] ?? schemaName(env.sourceName(sourceId) ?? `source_${sourceId}`)
  const target = `postgresql://${settings.host}:${settings.port ?? 5432}/${settings.database}`

  return {
    batchSize: BATCH,
    integrationNames: [name, 'Postgres', 'PostgreSQL', 'Warehouse'],
    loadIntervalMs: (settings.loadIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS) * 1000,
    keepsData: true,
    async send(events, _signal, sourceIds): Promise<SendResult> {
      const requestSample = `load ${events.length} events into ${target}`
      try {
        const summary = await loader.load(events, (i) => schemaFor(sourceIds[i]!))
        return { status: 200, error: null, retryAfterMs: null, requestSample, responseSample: describeLoad(summary) }
      } catch (error) {
        const message = (error as Error).message || String(error)
        // Not reachable, or busy: the same batch again after a backoff. Anything else (a privilege taken away,
        // a column type changed by hand) is a failure of the batch, retried within the retry window.
        return { status: isTransientError(error) ? null : 500, error: `PostgreSQL: ${message}`, retryAfterMs: null, requestSample, responseSample: null }
      }
    },
    describe(events, sourceIds) {
      const schemas = new Map<string, number>()
      sourceIds.forEach((id) => schemas.set(schemaFor(id), (schemas.get(schemaFor(id)) ?? 0) + 1))
      return `${events.length} events would be upserted (by id) into ${target}: ${[...schemas].map(([s, n]) => `${n} into schema ${s}`).join(', ')}`
    },
    async forgetUser(who) {
      return loader.forgetUser(who.kind === 'userId' ? 'user_id' : 'anonymous_id', who.id, who.kind === 'userId', who.before)
    },
    async close() {
      await pool.end().catch(() => undefined)
    }
  }
}

/** The delivery log's "response": rows per table of this load. */
function describeLoad(summary: LoadSummary): string {
  const tables = summary.tables.map((t) => `${t.schema}.${t.table}: ${t.rows}`).join(', ')
  const extra = [
    summary.conflicts > 0 ? `${summary.conflicts} values kept as text after a type conflict` : '',
    summary.droppedColumns > 0 ? `${summary.droppedColumns} columns over the per-row cap left out` : '',
    summary.shadowedValues > 0 ? `${summary.shadowedValues} values left out: another key of their event has the same column name` : '',
    summary.droppedValues > 0 ? `${summary.droppedValues} values fitted no column` : ''
  ].filter(Boolean)
  return `loaded ${summary.events} events — ${tables}${extra.length ? `; ${extra.join('; ')}` : ''}`
}
