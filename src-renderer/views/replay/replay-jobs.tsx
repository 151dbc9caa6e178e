import type { ReplayJob } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { useDestinations } from '../../state/destinations-store'
import { progressOf, useReplays } from '../../state/replay-store'
import { useState } from 'react'
import { deliveriesPath } from '../destinations/destination-routes'
import { FormError } from '../../components/form-error'

export function ReplayJobs() {
  const jobs = useReplays((s) => s.jobs)
  const loaded = useReplays((s) => s.loaded)
  const error = useReplays((s) => s.error)
  return (
    <section className="replay-jobs" aria-labelledby="jobs-title">
      <h2 id="jobs-title">Jobs</h2>
      <FormError message={error} />
      {loaded && jobs.length === 0 && <p className="empty-state">No replays yet.</p>}
      <ul className="job-list" aria-label="Replay jobs">
        {jobs.map((job) => (
          <JobCard key={job.id} job={job} />
        ))}
      </ul>
    </section>
  )
}

function JobCard({ job }: { job: ReplayJob }) {
  const destination = useDestinations((s) => s.destinations.find((d) => d.id === job.destinationId))
  const [error, setError] = useState<string | null>(null)
  const control = (action: 'pause' | 'resume' | 'cancel'): void => {
    setError(null)
    useReplays
      .getState()
      .control(job.id, action)
      .catch((e: unknown) => setError(errorMessage(e)))
  }
  const percent = Math.round(progressOf(job) * 100)
  const s = job.selection
  return (
    <li className="job-card" aria-label={`Replay ${job.id}`} data-state={job.state}>
      <div className="job-head">
        <strong>#{job.id}</strong>
        <Link to={deliveriesPath(job.destinationId)}>{destination?.name ?? `destination ${job.destinationId}`}</Link>
        <span className={`state-badge replay-${job.state}`}>{job.state}</span>
        <span className="muted">{formatDateTime(job.createdAt).slice(0, 19)}</span>
        <span className="job-controls">
          {job.state === 'running' && (
            <button type="button" className="button small" onClick={() => control('pause')}>
              Pause
            </button>
          )}
          {job.state === 'paused' && (
            <button type="button" className="button small" onClick={() => control('resume')}>
              Resume
            </button>
          )}
          {(job.state === 'running' || job.state === 'paused') && (
            <button type="button" className="button small ghost danger-text" onClick={() => control('cancel')}>
              Cancel
            </button>
          )}
        </span>
      </div>
      <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent} aria-label={`Progress of replay ${job.id}`}>
        <div className="progress-fill" style={{ width: `${percent}%` }} />
      </div>
      <p className="muted job-counts">
        {formatCount(job.processed)} of {job.total > 0 ? formatCount(job.total) : '…'} processed · {formatCount(job.delivered)} delivered · {formatCount(job.filtered)} filtered · {formatCount(job.failed)} failed
        {s.where ? ` · where ${s.where}` : ''}
      </p>
      {job.error && <p className="form-error">{job.error}</p>}
      <FormError message={error} />
    </li>
  )
}
