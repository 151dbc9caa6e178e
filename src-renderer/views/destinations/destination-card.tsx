import { useState } from 'react'
import type { Destination } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatClock } from '../../format/time'
import { useDestinations } from '../../state/destinations-store'
import { useSources } from '../../state/sources-store'
import { kindName } from './built-in-kinds'
import { deliveriesPath, destinationPath } from './destination-routes'
import { StateBadge } from './status-badge'

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
          <Link to={destinationPath(d.id)} className="button small ghost">
            Edit
          </Link>
        </div>
      </div>
      <dl className="destination-facts">
        <div>
          <dt>Status</dt>
          <dd>
            <StateBadge state={d.status.state} />
            {d.status.nextAttemptAt && d.status.state !== 'idle' && <span className="muted"> next try at {formatClock(d.status.nextAttemptAt).slice(0, 8)}</span>}
          </dd>
        </div>
        <div>
          <dt>Pending</dt>
          <dd data-fact="pending">{formatCount(d.status.pending)}</dd>
        </div>
        <div>
          <dt>Failed</dt>
          <dd data-fact="failed" className={d.status.failed > 0 ? 'danger-text' : undefined}>
            {formatCount(d.status.failed)}
          </dd>
        </div>
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
