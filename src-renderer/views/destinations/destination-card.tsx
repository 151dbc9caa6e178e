import { useState } from 'react'
import type { Destination } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { useDestinations } from '../../state/destinations-store'
import { useSources } from '../../state/sources-store'
import { kindName } from './built-in-kinds'
import { deliveriesPath, destinationPath } from './destination-routes'
import { StatusFacts } from './status-facts'

export function DestinationCard({ destination: d }: { destination: Destination }) {
  const sources = useSources((s) => s.sources)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const connected = d.sourceIds.map((id) => sources.find((s) => s.id === id)?.name ?? `#${id}`)
  const slug = d.kind === 'actions' ? (d.settings as { slug?: string }).slug : null

  const toggle = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await useDestinations.getState().update(d.id, { enabled: !d.enabled })
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <article className={`destination-card${d.enabled ? '' : ' disabled'}`} aria-label={`Destination ${d.name}`} data-destination-id={d.id}>
      <div className="destination-head">
        <h2 className="destination-name">
          <Link to={deliveriesPath(d.id)}>{d.name}</Link>
          <span className="badge">{slug ? `${kindName(d.kind)} · ${slug}` : kindName(d.kind)}</span>
        </h2>
        <label className="switch" title={d.enabled ? 'Stop delivering (events keep being stored)' : 'Start delivering'}>
          <input type="checkbox" role="switch" checked={d.enabled} disabled={busy} onChange={() => void toggle()} aria-label={`Enabled: ${d.name}`} />
          <span>{d.enabled ? 'Enabled' : 'Disabled'}</span>
        </label>
        <div className="source-actions">
          <Link to={deliveriesPath(d.id)} className="button small ghost">
            Deliveries
          </Link>
          {d.kind === 'warehouse' && (
            <Link to={destinationPath(d.id)} className="button small ghost" aria-label={`Warehouse tables of ${d.name}`}>
              Warehouse
            </Link>
          )}
          <Link to={destinationPath(d.id)} className="button small ghost">
            Edit
          </Link>
        </div>
      </div>
      <dl className="destination-facts">
        <StatusFacts status={d.status} />
        <div>
          <dt>Sources</dt>
          <dd>{connected.length > 0 ? connected.join(', ') : <span className="muted">none connected</span>}</dd>
        </div>
      </dl>
      {d.status.lastError && (
        <p className="last-error" title="The most recent delivery error">
          <span className="muted">Last error: </span>
          {d.status.lastError}
        </p>
      )}
      {error && <p className="form-error" role="alert">{error}</p>}
    </article>
  )
}
