// "Re-validate": the saved plan run over stored events of its sources (a what-if before enforcing), with
// progress while the engine works and the violations grouped by event and kind when it is done.

import { useEffect, useRef, useState } from 'react'
import type { RevalidateJob, TrackingPlan } from '../../../src-shared/plans'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { fromLocalInputValue } from '../../format/time'
import { FormError } from '../../components/form-error'

const POLL_MS = 500

export function RevalidatePanel({ plan }: { plan: TrackingPlan }) {
  const [job, setJob] = useState<RevalidateJob | null>(null)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [error, setError] = useState<string | null>(null)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)

  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), [])

  const poll = (id: string): void => {
    timer.current = setTimeout(async () => {
      try {
        const next = await api.revalidateJob(plan.id, id)
        setJob(next)
        if (next.state === 'running') poll(id)
      } catch (e) {
        setError(errorMessage(e))
      }
    }, POLL_MS)
  }

  const start = async (): Promise<void> => {
    setError(null)
    try {
      const started = await api.revalidate(plan.id, { ...(from ? { from: fromLocalInputValue(from) } : {}), ...(to ? { to: fromLocalInputValue(to) } : {}) })
      setJob(started)
      if (started.state === 'running') poll(started.id)
    } catch (e) {
      setError(errorMessage(e))
    }
  }

  const running = job?.state === 'running'
  const percent = job && job.total > 0 ? Math.floor((job.checked / job.total) * 100) : running ? 0 : 100
  return (
    <section className="revalidate" aria-label="Re-validate">
      <h2>Re-validate stored events</h2>
      <p className="muted">Runs version {plan.version} over what its sources already sent. Nothing is changed or blocked.</p>
      <div className="toolbar">
        <label className="inline-label">
          From
          <input className="input" type="datetime-local" aria-label="Re-validate from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline-label">
          To
          <input className="input" type="datetime-local" aria-label="Re-validate to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <button type="button" className="button" disabled={running || plan.sourceIds.length === 0} onClick={() => void start()}>
          {running ? 'Re-validating…' : 'Re-validate'}
        </button>
        {plan.sourceIds.length === 0 && <span className="muted">Connect a source and save first.</span>}
      </div>
      <FormError message={error} />
      {job && (
        <div className="revalidate-result" data-state={job.state}>
          <progress max={100} value={percent} aria-label="Re-validation progress" />
          <p role="status">
            {job.state === 'running' ? 'Checking' : job.state === 'done' ? 'Checked' : job.state === 'failed' ? 'Failed after' : 'Cancelled after'} {formatCount(job.checked)} of {formatCount(job.total)} events:{' '}
            <strong data-with-violations={job.withViolations}>{formatCount(job.withViolations)}</strong> with violations.
            {job.error && <span className="form-error"> {job.error}</span>}
          </p>
          {job.groups.length > 0 && (
            <table className="violation-groups" aria-label="Violations by event and kind">
              <thead>
                <tr>
                  <th scope="col">Event</th>
                  <th scope="col">Kind</th>
                  <th scope="col">Field</th>
                  <th scope="col">Count</th>
                  <th scope="col">Sample</th>
                </tr>
              </thead>
              <tbody>
                {job.groups.map((g) => (
                  <tr key={`${g.event}\u0000${g.kind}\u0000${g.pointer}`} data-kind={g.kind}>
                    <td>{g.event}</td>
                    <td>{g.kind.replace(/_/g, ' ')}</td>
                    <td>
                      <code>{g.pointer || '(whole event)'}</code>
                    </td>
                    <td>{formatCount(g.count)}</td>
                    <td>
                      <Link to={`/events?q=${encodeURIComponent(g.sampleEventId)}`}>open</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </div>
      )}
    </section>
  )
}
