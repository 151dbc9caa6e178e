// A run's events as the assertions API sees them (scoped by runId), newest first; a row opens its payload.

import { useState } from 'react'
import type { EventRecord } from '../../../src-shared/api'
import { JsonTree } from '../../components/json-tree'
import { TypeBadge } from '../../components/type-badge'
import { formatCount } from '../../format/numbers'
import { formatClock } from '../../format/time'
import { useRuns } from '../../state/runs-store'

export function RunEvents({ runId }: { runId: string }) {
  const detail = useRuns((s) => (s.detail?.runId === runId ? s.detail : null))
  return (
    <section className="run-events" aria-labelledby="run-events-title">
      <h3 id="run-events-title">
        Events {detail ? <span className="muted">({formatCount(detail.count)}{detail.count > detail.events.length ? `, newest ${detail.events.length} shown` : ''})</span> : null}
      </h3>
      {!detail && <p className="loading">Loading…</p>}
      {detail && detail.events.length === 0 && <p className="empty-state">No events in this run yet. Send some with its write key.</p>}
      {detail && detail.events.length > 0 && (
        <ul className="run-event-list" aria-label="Events of this run">
          {detail.events.map((event) => (
            <RunEventRow key={event.id} event={event} />
          ))}
        </ul>
      )}
    </section>
  )
}

function RunEventRow({ event }: { event: EventRecord }) {
  const [open, setOpen] = useState(false)
  return (
    <li className="run-event">
      <button type="button" className="run-event-line" aria-expanded={open} onClick={() => setOpen(!open)}>
        <TypeBadge type={event.type} />
        <span className="run-event-name">{event.name ?? ''}</span>
        <span className="muted">{event.userId ?? event.anonymousId ?? ''}</span>
        <span className="muted mono run-event-time">{formatClock(event.receivedAt)}</span>
      </button>
      {open && (
        <div className="run-event-payload">
          <JsonTree value={event.payload} />
        </div>
      )}
    </li>
  )
}
