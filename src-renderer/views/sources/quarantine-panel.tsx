// A source's quarantine: the events its enforcement held at ingest (stored, not delivered). Releasing
// sends them to the destinations connected now, through one replay job per destination.

import { useCallback, useEffect, useState } from 'react'
import type { EventSummary, Source } from '../../../src-shared/api'
import type { ReleaseQuarantineRequest, ReleaseQuarantineResult } from '../../../src-shared/enforcement'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { ValidationBadges } from '../../components/validation-badges'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { eventsUrlSearch } from '../../state/events-url'
import { FormError } from '../../components/form-error'
import { ConfirmDialog } from '../../components/confirm-dialog'

const LIMIT = 100

export function QuarantinePanel({ source }: { source: Source }) {
  const [held, setHeld] = useState<{ events: EventSummary[]; more: boolean } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  const [result, setResult] = useState<ReleaseQuarantineResult | null>(null)
  const [confirming, setConfirming] = useState(false)

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const page = await api.listEvents({ source: source.id, quarantined: true, limit: LIMIT })
      setHeld({ events: page.events, more: page.nextCursor !== null })
      setError(null)
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [source.id])

  useEffect(() => void refresh(), [refresh])

  const release = async (key: string, body: ReleaseQuarantineRequest): Promise<void> => {
    setBusy(key)
    setError(null)
    setResult(null)
    try {
      setResult(await api.releaseQuarantine(source.id, body))
      await refresh()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(null)
    }
  }

  const count = held?.events.length ?? 0
  return (
    <section className="quarantine-panel" aria-label={`Quarantine of ${source.name}`}>
      <div className="section-title-row">
        <h3>Quarantine</h3>
        <span className="muted" data-testid="held-count">
          {held ? `${formatCount(count)}${held.more ? '+' : ''} held` : ''}
        </span>
        <span className="toolbar-spacer" />
        <button type="button" className="button small ghost" onClick={() => void refresh()}>
          Refresh
        </button>
        <button type="button" className="button small primary" disabled={count === 0 || busy !== null} onClick={() => setConfirming(true)}>
          {busy === 'all' ? 'Releasing…' : 'Release all'}
        </button>
      </div>
      <ConfirmDialog
        open={confirming}
        title={`Release ${held?.more ? 'all' : formatCount(count)} held ${count === 1 && !held?.more ? 'event' : 'events'}?`}
        confirmLabel="Release and deliver"
        busy={busy === 'all'}
        onConfirm={() => {
          setConfirming(false)
          void release('all', {})
        }}
        onCancel={() => setConfirming(false)}
      >
        <p>They go to every destination connected to {source.name} now, once each, through a release job per destination.</p>
      </ConfirmDialog>
      <FormError message={error} />
      {result && (
        <p role="status">
          Released {formatCount(result.released)} {result.released === 1 ? 'event' : 'events'}
          {result.replays.length > 0 ? `, sending to ${result.replays.length} ${result.replays.length === 1 ? 'destination' : 'destinations'}` : ''}.
          {result.replays.length > 0 && (
            <>
              {' '}
              <Link to="/replay">Progress in Replay</Link>
            </>
          )}
        </p>
      )}
      {held && count === 0 && <p className="muted">No event is held.</p>}
      {count > 0 && (
        <table className="held-events" aria-label={`Held events of ${source.name}`}>
          <thead>
            <tr>
              <th scope="col">Received</th>
              <th scope="col">Event</th>
              <th scope="col">User</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {held!.events.map((event) => (
              <tr key={event.id} data-event-id={event.id}>
                <td>{formatDateTime(event.receivedAt).slice(0, 19)}</td>
                <td>
                  <span className="held-name">{event.name ?? event.type}</span> <ValidationBadges violations={event.violations} quarantine={null} />
                </td>
                <td className="mono">{event.userId ?? event.anonymousId ?? '—'}</td>
                <td>
                  <button type="button" className="button small" disabled={busy !== null} aria-label={`Release ${event.name ?? event.type} ${event.id}`} onClick={() => void release(event.id, { eventIds: [event.id] })}>
                    {busy === event.id ? 'Releasing…' : 'Release'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {held?.more && (
        <p className="muted">
          Showing the newest {LIMIT}. <Link to={`/events${eventsUrlSearch({ filters: { source: source.id, quarantined: true }, time: { kind: 'all' } })}`}>All held events</Link>
        </p>
      )}
    </section>
  )
}
