// One line of a profile's timeline. Unlike the Events list (ordered by arrival, so a clock time is enough),
// a person's history spans days and is ordered by when things happened: the time shown is the event's own
// timestamp, with its date; when Loupe received it is in the tooltip.

import { memo } from 'react'
import type { EventSummary } from '../../../src-shared/api'
import { EventCells } from '../../components/event-row'
import { formatDateTime } from '../../format/time'

/** "2026-10-19 10:00:00": to the second, as milliseconds rarely matter across a history. */
export function timelineTime(iso: string | null | undefined): string {
  const full = formatDateTime(iso)
  return full.length > 19 ? full.slice(0, 19) : full
}

export interface TimelineRowProps {
  event: EventSummary
  sourceName: string
  selected: boolean
  onSelect(id: string): void
}

export const TimelineRow = memo(function TimelineRow({ event, sourceName, selected, onSelect }: TimelineRowProps) {
  return (
    <div className={`event-row timeline-row${selected ? ' selected' : ''}`} role="option" aria-selected={selected} data-event-id={event.id} onClick={() => onSelect(event.id)}>
      <span className="cell time" data-testid="event-time" title={`Happened ${formatDateTime(event.timestamp)}\nReceived ${formatDateTime(event.receivedAt)}`}>
        {timelineTime(event.timestamp)}
      </span>
      <EventCells event={event} sourceName={sourceName} />
    </div>
  )
})

export function TimelineHeader() {
  return (
    <div className="event-row timeline-row header" aria-hidden="true">
      <span className="cell time">Happened</span>
      <span className="cell type">Type</span>
      <span className="cell name">Event / page</span>
      <span className="cell user">User / device</span>
      <span className="cell source">Source</span>
    </div>
  )
}
