// Deliveries of one destination: its status and controls, the delivery chart and the attempts log.

import { useEffect } from 'react'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { useDestinations, watchDestinations } from '../../state/destinations-store'
import { kindName } from '../destinations/built-in-kinds'
import { destinationPath } from '../destinations/destination-routes'
import { StateBadge } from '../destinations/status-badge'
import { AttemptsLog } from './attempts-log'
import { DeliveryActions } from './delivery-actions'
import { MetricsChart } from './metrics-chart'

export function DeliveriesView({ id }: { id: number }) {
  const destination = useDestinations((s) => s.destinations.find((d) => d.id === id))
  const loaded = useDestinations((s) => s.loaded)
  useEffect(() => watchDestinations(), [])

  return (
    <section className="screen deliveries-screen" aria-labelledby="deliveries-title">
      <header className="screen-header">
        <h1 id="deliveries-title">{destination ? `Deliveries — ${destination.name}` : `Deliveries — destination ${id}`}</h1>
        {destination && <span className="badge">{kindName(destination.kind)}</span>}
        <Link to={destinationPath(id)} className="button small ghost">
          Edit
        </Link>
        <Link to="/destinations" className="button small ghost">
          All destinations
        </Link>
      </header>
      <div className="routing-body">
        {loaded && !destination && (
          <p className="form-error" role="alert">
            No destination with id {id}.
          </p>
        )}
        {destination && (
          <>
            <dl className="destination-facts status-strip" aria-label="Delivery status">
              <div>
                <dt>Status</dt>
                <dd>
                  <StateBadge state={destination.status.state} />
                </dd>
              </div>
              <div>
                <dt>Pending</dt>
                <dd data-fact="pending">{formatCount(destination.status.pending)}</dd>
              </div>
              <div>
                <dt>Failed</dt>
                <dd data-fact="failed" className={destination.status.failed > 0 ? 'danger-text' : undefined}>
                  {formatCount(destination.status.failed)}
                </dd>
              </div>
              <div className="wide">
                <dt>Last error</dt>
                <dd className="last-error-text">{destination.status.lastError ?? <span className="muted">none</span>}</dd>
              </div>
            </dl>
            <DeliveryActions destination={destination} />
            <MetricsChart id={id} cursor={destination.status.cursor} />
            <AttemptsLog id={id} />
          </>
        )}
      </div>
    </section>
  )
}
