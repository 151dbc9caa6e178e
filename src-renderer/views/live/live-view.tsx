// Live: events as the engine commits them, newest on top. Scrolling down freezes the list (a row at
// 2,000 events/s would otherwise be gone before it can be read); back at the top, it follows again.

import { useCallback } from 'react'
import { EventList, ROW_HEIGHT } from '../../components/event-list'
import { FilterBar } from '../../components/filter-bar'
import { FirstEventGuide } from '../../components/first-event-guide'
import { useDetail } from '../../state/detail-store'
import { useSources } from '../../state/sources-store'
import { useStats } from '../../state/stats-store'
import { useLive } from '../../state/use-live'
import { EventDetail } from '../event-detail/event-detail'
import { useListKeys } from '../event-detail/use-list-keys'
import { LiveToolbar } from './live-toolbar'

const SCROLL_PAUSE_PX = ROW_HEIGHT * 2

export function LiveView() {
  const events = useLive((s) => s.events)
  const filters = useLive((s) => s.filters)
  const resumes = useLive((s) => s.resumes)
  const sources = useSources((s) => s.sources)
  const selectedId = useDetail((s) => s.selectedId)
  const total = useStats((s) => s.stats?.events.total)

  const select = useCallback((id: string) => useDetail.getState().open(id), [])
  useListKeys(events, selectedId, select, useDetail.getState().close)

  const onScroll = useCallback((top: number) => {
    const live = useLive.getState()
    if (top > SCROLL_PAUSE_PX && live.paused === null) live.pause('scroll')
    else if (top === 0 && live.paused === 'scroll') live.resume()
  }, [])

  const filtered = Object.keys(filters).length > 0
  return (
    <section className="screen live-screen" aria-labelledby="live-title">
      <header className="screen-header">
        <h1 id="live-title">Live</h1>
        <FilterBar value={filters} sources={sources} onChange={(next) => useLive.getState().setFilters(next)} />
      </header>
      <LiveToolbar />
      <div className="split">
        {events.length > 0 ? (
          <EventList events={events} sources={sources} selectedId={selectedId} onSelect={select} onScroll={onScroll} scrollResetKey={resumes} label="Live events" />
        ) : total === 0 && !filtered ? (
          <div className="list-placeholder">
            <FirstEventGuide />
          </div>
        ) : (
          <div className="list-placeholder">
            <p className="empty-state waiting">{filtered ? 'Waiting for events that match these filters…' : 'Waiting for events…'}</p>
          </div>
        )}
        <EventDetail />
      </div>
    </section>
  )
}
