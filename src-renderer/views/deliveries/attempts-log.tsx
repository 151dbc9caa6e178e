// The delivery attempts of a destination, newest first: paged backwards with "Load older", the
// newest page refreshed while open. A row opens the request and response samples, as text.

import { useCallback, useEffect, useRef, useState } from 'react'
import type { DeliveryAttempt } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { formatDateTime, formatDuration } from '../../format/time'
import { OutcomeBadge } from '../destinations/status-badge'
import { appendOlder, eventsOf, mergeNewest } from './attempts-merge'
import { prettySample } from './pretty-sample'
import { FormError } from '../../components/form-error'

const PAGE = 50
const REFRESH_MS = 2000

export function AttemptsLog({ id }: { id: number }) {
  const [attempts, setAttempts] = useState<DeliveryAttempt[]>([])
  const [cursor, setCursor] = useState<string | null>(null)
  const [loaded, setLoaded] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [open, setOpen] = useState<number | null>(null)
  const first = useRef(true)

  const refresh = useCallback(async (): Promise<void> => {
    try {
      const page = await api.listAttempts(id, { limit: PAGE })
      setAttempts((shown) => mergeNewest(shown, page.attempts))
      if (first.current) setCursor(page.nextCursor)
      first.current = false
      setLoaded(true)
      setError(null)
    } catch (e) {
      setError(errorMessage(e))
    }
  }, [id])

  useEffect(() => {
    first.current = true
    setAttempts([])
    void refresh()
    const timer = setInterval(() => void refresh(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [refresh])

  const older = async (): Promise<void> => {
    if (!cursor) return
    try {
      const page = await api.listAttempts(id, { limit: PAGE, cursor })
      setAttempts((shown) => appendOlder(shown, page.attempts))
      setCursor(page.nextCursor)
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  return (
    <section className="attempts" aria-labelledby="attempts-title">
      <h2 id="attempts-title">Attempts</h2>
      <FormError message={error} />
      {loaded && attempts.length === 0 && <p className="empty-state">No attempts yet: events of the connected sources are delivered as they arrive.</p>}
      {attempts.length > 0 && (
        <table className="attempts-table" aria-label="Delivery attempts">
          <thead>
            <tr>
              <th scope="col">At</th>
              <th scope="col">Outcome</th>
              <th scope="col">HTTP</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col" className="num">
                Latency
              </th>
              <th scope="col">Note</th>
            </tr>
          </thead>
          <tbody>
            {attempts.map((a) => (
              <AttemptRow key={a.id} attempt={a} open={open === a.id} onToggle={() => setOpen(open === a.id ? null : a.id)} />
            ))}
          </tbody>
        </table>
      )}
      {cursor && (
        <button type="button" className="button small" onClick={() => void older()}>
          Load older attempts
        </button>
      )}
    </section>
  )
}

function AttemptRow({ attempt: a, open, onToggle }: { attempt: DeliveryAttempt; open: boolean; onToggle(): void }) {
  const note = a.error ?? (a.filtered.length > 0 ? `${a.filtered.length} filtered: ${a.filtered[0]!.reason}` : a.replayId !== null ? `replay #${a.replayId}` : '')
  return (
    <>
      <tr className={`attempt-row${open ? ' open' : ''}`} data-attempt-id={a.id} data-outcome={a.outcome}>
        <td>
          <button type="button" className="link-button" aria-expanded={open} onClick={onToggle} title="Show the request and response">
            {formatDateTime(a.at).slice(0, 19)}
          </button>
        </td>
        <td>
          <OutcomeBadge outcome={a.outcome} />
        </td>
        <td>{a.httpStatus ?? '—'}</td>
        <td className="num">{eventsOf(a)}</td>
        <td className="num">{formatDuration(a.durationMs)}</td>
        <td className="attempt-note">{note}</td>
      </tr>
      {open && (
        <tr className="attempt-detail">
          <td colSpan={6}>
            <AttemptDetail attempt={a} />
          </td>
        </tr>
      )}
    </>
  )
}

function AttemptDetail({ attempt: a }: { attempt: DeliveryAttempt }) {
  return (
    <div className="attempt-samples">
      <p className="muted">
        Events {a.firstEventId}–{a.lastEventId}: {a.sent} sent{a.filtered.length > 0 ? `, ${a.filtered.length} not sent` : ''}.
      </p>
      {a.filtered.length > 0 && (
        <ul className="filtered-list">
          {a.filtered.slice(0, 20).map((f) => (
            <li key={f.eventId}>
              <code>{f.eventId}</code> {f.reason}
            </li>
          ))}
          {a.filtered.length > 20 && <li className="muted">and {a.filtered.length - 20} more</li>}
        </ul>
      )}
      <h3>Request</h3>
      <pre className="sample">{prettySample(a.requestSample, '(not recorded)')}</pre>
      <h3>Response</h3>
      <pre className="sample">{prettySample(a.responseSample, '(no response)')}</pre>
    </div>
  )
}
