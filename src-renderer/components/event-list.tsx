// The virtualized event list shared by Live and Events: only the rows in view (plus a few) exist in
// the DOM, so 5,000 rows cost what 40 do. Rows have one fixed height, so no measuring is needed.

import { useVirtualizer } from '@tanstack/react-virtual'
import { useEffect, useMemo, useRef, type ReactNode, type UIEvent } from 'react'
import type { EventSummary, Source } from '../../src-shared/api'
import { EventListHeader, EventRow } from './event-row'

export const ROW_HEIGHT = 34

export interface EventListProps {
  events: readonly EventSummary[]
  sources: readonly Source[]
  selectedId: string | null
  onSelect(id: string): void
  /** Called when the last rows come into view (infinite scroll). */
  onNearEnd?(): void
  onScroll?(scrollTop: number): void
  /** Changes to this value scroll the list back to the top (e.g. Live resuming). */
  scrollResetKey?: unknown
  footer?: ReactNode
  label: string
}

export function EventList({ events, sources, selectedId, onSelect, onNearEnd, onScroll, scrollResetKey, footer, label }: EventListProps) {
  const scrollRef = useRef<HTMLDivElement>(null)
  const names = useMemo(() => new Map(sources.map((s) => [s.id, s.name])), [sources])
  const virtualizer = useVirtualizer({
    count: events.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => events[index]!.id,
    overscan: 12,
    useFlushSync: false
  })
  const items = virtualizer.getVirtualItems()
  const last = items.length > 0 ? items[items.length - 1]!.index : -1

  useEffect(() => {
    if (onNearEnd && last >= events.length - 20) onNearEnd()
  }, [last, events.length, onNearEnd])

  // Keep the selected row in view when ↑/↓ moves the selection.
  useEffect(() => {
    if (selectedId === null) return
    const index = events.findIndex((e) => e.id === selectedId)
    if (index >= 0) virtualizer.scrollToIndex(index, { align: 'auto' })
    // Only on selection changes: following a streaming list would fight the reader.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [selectedId])

  useEffect(() => {
    if (scrollRef.current) scrollRef.current.scrollTop = 0
  }, [scrollResetKey])

  const handleScroll = (event: UIEvent<HTMLDivElement>): void => onScroll?.(event.currentTarget.scrollTop)

  return (
    <div className="event-list">
      <EventListHeader />
      <div className="event-list-scroll" ref={scrollRef} onScroll={handleScroll} role="listbox" aria-label={label} tabIndex={0}>
        <div className="event-list-inner" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const event = events[item.index]!
            return (
              <div key={item.key} className="event-row-slot" style={{ transform: `translateY(${item.start}px)` }}>
                <EventRow event={event} sourceName={names.get(event.sourceId) ?? `#${event.sourceId}`} selected={event.id === selectedId} onSelect={onSelect} />
              </div>
            )
          })}
        </div>
        {footer && <div className="event-list-footer">{footer}</div>}
      </div>
    </div>
  )
}
