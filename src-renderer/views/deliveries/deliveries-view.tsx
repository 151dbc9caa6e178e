// Deliveries of one destination: its status and controls, the delivery chart and the attempts log.

import { useEffect } from 'react'
import { Link } from '../../components/link'
import { useDestinations, watchDestinations } from '../../state/destinations-store'
import { kindName } from '../destinations/built-in-kinds'
import { destinationPath } from '../destinations/destination-routes'
import { StatusFacts } from '../destinations/status-facts'
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
              <StatusFacts status={destination.status} />
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
