// A profile's events from every device and identifier it joined, newest first by when they happened, a
// page at a time. One opens in the detail pane.

import { useDetail } from '../../state/detail-store'
import { useSources } from '../../state/sources-store'
import { FormError } from '../../components/form-error'
import { TimelineHeader, TimelineRow } from './timeline-row'
import type { ProfileData } from './use-profile'

export function ProfileTimeline({ data }: { data: ProfileData }) {
  const sources = useSources((s) => s.sources)
  const selectedId = useDetail((s) => s.selectedId)
  const names = new Map(sources.map((s) => [s.id, s.name]))
  const { events, next, loadingEvents, eventsError, loadMore } = data

  return (
    <section className="profile-section" aria-labelledby="timeline-title">
      <h2 id="timeline-title" className="section-heading">
        Timeline
      </h2>
      {events.length === 0 && !loadingEvents ? (
        <p className="empty-state">No events.</p>
      ) : (
        <div className="profile-timeline">
          <TimelineHeader />
          <div role="listbox" aria-label="Profile events">
            {events.map((event) => (
              <TimelineRow key={event.id} event={event} sourceName={names.get(event.sourceId) ?? `#${event.sourceId}`} selected={event.id === selectedId} onSelect={(id) => useDetail.getState().open(id)} />
            ))}
          </div>
        </div>
      )}
      <FormError message={eventsError} />
      {(next || loadingEvents) && (
        <button type="button" className="button small load-more" disabled={loadingEvents} onClick={loadMore}>
          {loadingEvents ? 'Loading…' : 'Load more'}
        </button>
      )}
    </section>
  )
}
