// One line of the Live and Events lists. Memoized on the summary object: when the Live list gains rows,
// the rows already on screen keep their identity and do not re-render.

import { memo } from 'react'
import type { EventSummary } from '../../src-shared/api'
import { formatBytes } from '../format/numbers'
import { formatClock, formatDateTime } from '../format/time'
import { PiiFlag } from './pii-flag'
import { TypeBadge } from './type-badge'
import { ValidationBadges } from './validation-badges'

export interface EventRowProps {
  event: EventSummary
  sourceName: string
  selected: boolean
  onSelect(id: string): void
}

export const EventRow = memo(function EventRow({ event, sourceName, selected, onSelect }: EventRowProps) {
  return (
    <div
      className={`event-row${selected ? ' selected' : ''}`}
      role="option"
      aria-selected={selected}
      data-event-id={event.id}
      onClick={() => onSelect(event.id)}
    >
      <span className="cell time" title={formatDateTime(event.receivedAt)}>
        {formatClock(event.receivedAt)}
      </span>
      <EventCells event={event} sourceName={sourceName} />
      <span className="cell size">{formatBytes(event.size)}</span>
    </div>
  )
})

/**
 * The cells every event list shows between its own time and extra columns (Live and Events, a profile's
 * timeline): type, name with its warnings and badges, who, source. Event data as text only.
 */
export function EventCells({ event, sourceName }: { event: EventSummary; sourceName: string }) {
  const user = event.userId ?? event.anonymousId
  return (
    <>
      <span className="cell type">
        <TypeBadge type={event.type} />
      </span>
      <span className="cell name" title={event.name ?? undefined}>
        <span className="name-text">{event.name ?? <span className="muted">—</span>}</span>
        {event.warnings.length > 0 && (
          <span className="warning-mark" title={event.warnings.map((w) => w.message).join('\n')}>
            {event.warnings.length === 1 ? 'warning' : `${event.warnings.length} warnings`}
          </span>
        )}
        <ValidationBadges violations={event.violations} quarantine={event.quarantine} />
        <PiiFlag pii={event.pii} />
      </span>
      <span className="cell user" title={user ?? undefined}>
        {event.userId ?? (event.anonymousId ? <span className="muted">{event.anonymousId}</span> : <span className="muted">—</span>)}
      </span>
      <span className="cell source" title={sourceName}>
        {sourceName}
      </span>
    </>
  )
}

export function EventListHeader() {
  return (
    <div className="event-row header" aria-hidden="true">
      <span className="cell time">Time</span>
      <span className="cell type">Type</span>
      <span className="cell name">Event / page</span>
      <span className="cell user">User</span>
      <span className="cell source">Source</span>
      <span className="cell size">Size</span>
    </div>
  )
}
