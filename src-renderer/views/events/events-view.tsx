// Events: everything stored, searchable, newest first, one page at a time as you scroll. The query
// lives in the address bar, so the view can be bookmarked, shared, and survives a reload.

import { useCallback, useEffect, useMemo } from 'react'
import { EventList } from '../../components/event-list'
import { FilterBar } from '../../components/filter-bar'
import { FirstEventGuide } from '../../components/first-event-guide'
import { formatCount } from '../../format/numbers'
import { useDetail } from '../../state/detail-store'
import { eventsUrlSearch, hasFilters, parseEventsUrl, toApiFilters, type EventsViewQuery } from '../../state/events-url'
import { useRouter } from '../../state/router-store'
import { useSources } from '../../state/sources-store'
import { useStats } from '../../state/stats-store'
import { useEvents } from '../../state/use-events'
import { EventDetail } from '../event-detail/event-detail'
import { useListKeys } from '../event-detail/use-list-keys'
import { TimeRangePicker } from './time-range-picker'
import { SessionsButtons } from '../sessions/sessions-dialogs'

export function EventsView() {
  const search = useRouter((s) => s.search)
  const navigate = useRouter((s) => s.navigate)
  const query = useMemo(() => parseEventsUrl(search), [search])
  const { events, nextCursor, loading, loaded, error } = useEvents()
  const sources = useSources((s) => s.sources)
  const selectedId = useDetail((s) => s.selectedId)
  const total = useStats((s) => s.stats?.events.total)

  useEffect(() => useEvents.getState().load(parseEventsUrl(search)), [search])

  const setQuery = (next: EventsViewQuery): void => navigate(`/events${eventsUrlSearch(next)}`, { replace: true })
  const select = useCallback((id: string) => useDetail.getState().open(id), [])
  const loadMore = useCallback(() => useEvents.getState().loadMore(), [])
  useListKeys(events, selectedId, select, useDetail.getState().close)

  const footer = error ? (
    <span className="form-error">
      {error}{' '}
      <button type="button" className="link-button" onClick={() => useEvents.getState().retry()}>
        Retry
      </button>
    </span>
  ) : loading ? (
    'Loading…'
  ) : nextCursor ? null : (
    `End of results · ${formatCount(events.length)} ${events.length === 1 ? 'event' : 'events'}`
  )

  return (
    <section className="screen events-screen" aria-labelledby="events-title">
      <header className="screen-header">
        <h1 id="events-title">Events</h1>
        <FilterBar value={query.filters} sources={sources} onChange={(filters) => setQuery({ ...query, filters })} />
      </header>
      <div className="toolbar">
        <TimeRangePicker value={query.time} onChange={(time) => setQuery({ ...query, time })} />
        <span className="muted" data-testid="events-count">
          {loaded ? `${formatCount(events.length)}${nextCursor ? '+' : ''} ${events.length === 1 ? 'event' : 'events'}` : 'Searching…'}
        </span>
        <span className="toolbar-spacer" />
        <SessionsButtons filters={toApiFilters(query, Date.now())} sources={sources} />
        <button type="button" className="button small" onClick={() => useEvents.getState().refresh()}>
          Refresh
        </button>
      </div>
      <div className="split">
        {events.length > 0 ? (
          <EventList events={events} sources={sources} selectedId={selectedId} onSelect={select} onNearEnd={loadMore} footer={footer} label="Stored events" />
        ) : !loaded ? (
          <div className="list-placeholder">
            <p className="empty-state waiting">Searching…</p>
          </div>
        ) : error ? (
          <div className="list-placeholder">
            <p className="empty-state">{footer}</p>
          </div>
        ) : total === 0 && !hasFilters(query) ? (
          <div className="list-placeholder">
            <FirstEventGuide />
          </div>
        ) : (
          <div className="list-placeholder">
            <p className="empty-state">No stored events match these filters.</p>
          </div>
        )}
        <EventDetail />
      </div>
    </section>
  )
}
