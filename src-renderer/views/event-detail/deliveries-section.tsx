// Where this event went: per destination connected to its source, delivered / filtered (and why) /
// pending / failed / expired. Refreshed while any is still pending.

import { useEffect, useState } from 'react'
import type { EventDelivery } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { deliveriesPath } from '../destinations/destination-routes'
import { OutcomeBadge } from '../destinations/status-badge'
import { FormError } from '../../components/form-error'

const PENDING_REFRESH_MS = 1500

export function DeliveriesSection({ eventId }: { eventId: string }) {
  const [deliveries, setDeliveries] = useState<EventDelivery[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const controller = new AbortController()
    let timer: ReturnType<typeof setTimeout> | null = null
    setDeliveries(null)
    setError(null)
    const load = (): void => {
      api.eventDeliveries(eventId, controller.signal).then(
        (list) => {
          setDeliveries(list)
          if (list.some((d) => d.status === 'pending' || d.status === 'retrying')) timer = setTimeout(load, PENDING_REFRESH_MS)
        },
        (e: unknown) => controller.signal.aborted || setError(errorMessage(e))
      )
    }
    load()
    return () => {
      controller.abort()
      if (timer) clearTimeout(timer)
    }
  }, [eventId])

  if (deliveries !== null && deliveries.length === 0 && !error) return null
  return (
    <section className="detail-section deliveries" aria-labelledby="deliveries-title">
      <h3 id="deliveries-title">Deliveries</h3>
      <FormError message={error} />
      {deliveries === null && !error && <p className="muted">Loading…</p>}
      {deliveries && (
        <ul className="delivery-list">
          {deliveries.map((d) => (
            <li key={d.destinationId} data-destination-id={d.destinationId} data-status={d.status}>
              <OutcomeBadge outcome={d.status} />
              <Link to={deliveriesPath(d.destinationId)}>{d.destinationName}</Link>
              {d.reason && <span className="delivery-reason">{d.reason}</span>}
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}
