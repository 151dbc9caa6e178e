// A saved warehouse destination as its owner checks it: can Loupe reach it, when is the next load (or load
// now), how to open it with psql, what tables it holds with their rows and columns, and which values did
// not fit their column's type.

import { useEffect, useState } from 'react'
import type { Destination } from '../../../../src-shared/api'
import type { WarehouseSettings, WarehouseStatus } from '../../../../src-shared/warehouse'
import { errorMessage } from '../../../api/api-error'
import { CodeBlock } from '../../../components/code-block'
import { FormError } from '../../../components/form-error'
import { formatCount } from '../../../format/numbers'
import { formatClock } from '../../../format/time'
import { useDestinations } from '../../../state/destinations-store'
import { useWarehouse, watchWarehouse } from '../../../state/warehouse-store'
import { TypeConflicts } from './type-conflicts'
import { WarehouseTables } from './warehouse-tables'
import './warehouse.css'

/** The engine's, when the settings name none (src-shared/warehouse.ts). */
const DEFAULT_INTERVAL_SECONDS = 60

export function WarehousePanel({ destination }: { destination: Destination }) {
  const id = destination.id
  // The list has the latest save (the form below may just have changed the interval or the switch).
  const current = useDestinations((s) => s.destinations.find((d) => d.id === id)) ?? destination
  const enabled = current.enabled
  const status = useWarehouse((s) => s.statuses[id])
  const requestError = useWarehouse((s) => s.errors[id] ?? null)
  const [syncing, setSyncing] = useState(false)
  const [note, setNote] = useState<string | null>(null)
  const [syncError, setSyncError] = useState<string | null>(null)
  useEffect(() => watchWarehouse(id), [id])

  const sync = async (): Promise<void> => {
    setSyncing(true)
    setSyncError(null)
    setNote(null)
    try {
      await useWarehouse.getState().sync(id)
      setNote(`Sync requested at ${formatClock(new Date().toISOString()).slice(0, 8)}: the tables update when the load completes.`)
    } catch (e) {
      setSyncError(errorMessage(e))
    } finally {
      setSyncing(false)
    }
  }

  return (
    <section className="form-section warehouse-panel" aria-labelledby="warehouse-title" id="warehouse">
      <div className="section-title-row">
        <h2 id="warehouse-title">Warehouse</h2>
        <button type="button" className="button" onClick={() => void sync()} disabled={syncing || !enabled} title={enabled ? 'Load the events gathered so far without waiting for the schedule' : 'Enable the destination to load'}>
          {syncing ? 'Starting…' : 'Sync now'}
        </button>
      </div>
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      <FormError message={syncError ?? requestError} />
      {!status && !requestError && <p className="muted loading">Connecting to the warehouse…</p>}
      {status && <StatusBody status={status} enabled={enabled} interval={(current.settings as WarehouseSettings).loadIntervalSeconds ?? DEFAULT_INTERVAL_SECONDS} />}
    </section>
  )
}

function StatusBody({ status, enabled, interval }: { status: WarehouseStatus; enabled: boolean; interval: number }) {
  const rows = status.tables.reduce((sum, t) => sum + t.rows, 0)
  return (
    <>
      <dl className="destination-facts status-strip warehouse-facts" aria-label="Warehouse status">
        <div>
          <dt>Connection</dt>
          <dd data-fact="reachable" data-reachable={status.reachable}>
            <span className={`state-badge ${status.reachable ? 'state-idle' : 'outcome-failed'}`}>{status.reachable ? 'reachable' : 'unreachable'}</span>
          </dd>
        </div>
        <div>
          <dt>Next load</dt>
          <dd data-fact="next-load">{nextLoad(status.nextLoadAt, enabled, interval)}</dd>
        </div>
        <div>
          <dt>Tables</dt>
          <dd data-fact="tables">{status.reachable ? formatCount(status.tables.length) : '—'}</dd>
        </div>
        <div>
          <dt>Rows</dt>
          <dd data-fact="rows">{status.reachable ? formatCount(rows) : '—'}</dd>
        </div>
      </dl>
      {status.error && (
        <p className="last-error-text" title="The warehouse’s most recent error">
          {status.error}
        </p>
      )}
      <CodeBlock code={status.psql} label="Connect with psql (no password in it: psql asks when the server wants one)" copyTitle="Copy psql command" />
      {status.reachable ? (
        <>
          <h3 className="warehouse-heading">Tables</h3>
          <WarehouseTables tables={status.tables} />
          <h3 className="warehouse-heading">Type conflicts</h3>
          <TypeConflicts conflicts={status.conflicts} />
        </>
      ) : (
        <p className="muted">The tables show again once the warehouse answers; loads wait and retry until then.</p>
      )}
    </>
  )
}

/** The engine names a time only while events wait for their scheduled load. */
function nextLoad(at: string | null, enabled: boolean, interval: number): string {
  if (!enabled) return 'none (disabled)'
  if (interval === 0) return 'as events arrive'
  if (!at) return `nothing waiting · loads every ${every(interval)}`
  const seconds = Math.round((new Date(at).getTime() - Date.now()) / 1000)
  const clock = formatClock(at).slice(0, 8)
  if (seconds <= 0) return `${clock} (due now)`
  return seconds < 120 ? `${clock} (in ${seconds} s)` : `${clock} (in ${Math.round(seconds / 60)} min)`
}

function every(seconds: number): string {
  if (seconds < 120) return `${seconds} s`
  if (seconds < 7200) return `${Math.round(seconds / 60)} min`
  return `${Math.round(seconds / 360) / 10} h`
}
