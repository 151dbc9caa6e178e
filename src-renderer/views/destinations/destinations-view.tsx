// Destinations: where stored events go, each with its live delivery status.

import { useEffect } from 'react'
import { Link } from '../../components/link'
import { useDestinations, watchDestinations } from '../../state/destinations-store'
import { DestinationCard } from './destination-card'

export function DestinationsView() {
  const destinations = useDestinations((s) => s.destinations)
  const loaded = useDestinations((s) => s.loaded)
  const error = useDestinations((s) => s.error)
  useEffect(() => watchDestinations(), [])

  return (
    <section className="screen destinations-screen" aria-labelledby="destinations-title">
      <header className="screen-header">
        <h1 id="destinations-title">Destinations</h1>
        <p className="muted screen-intro">Every stored event of a connected source is delivered in order, retried with backoff, and logged.</p>
        <Link to="/destinations/new" className="button primary header-action">
          Add destination
        </Link>
      </header>
      <div className="routing-body">
        {error && <p className="form-error" role="alert">{error}</p>}
        {loaded && destinations.length === 0 && <p className="empty-state">No destinations yet. Add one to send events to a webhook, another Segment-compatible API, a file archive or an Action destination.</p>}
        <ul className="destination-list" aria-label="Destinations">
          {destinations.map((d) => (
            <li key={d.id}>
              <DestinationCard destination={d} />
            </li>
          ))}
        </ul>
      </div>
    </section>
  )
}
