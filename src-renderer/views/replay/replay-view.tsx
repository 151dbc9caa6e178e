// Replay: send stored events to a destination again — choose what, look at the exact requests with a
// dry run, start, and follow the job.

import { useEffect } from 'react'
import { watchDestinations } from '../../state/destinations-store'
import { watchReplays } from '../../state/replay-store'
import { ReplayForm } from './replay-form'
import { ReplayJobs } from './replay-jobs'

export function ReplayView() {
  useEffect(() => watchDestinations(), [])
  useEffect(() => watchReplays(), [])
  return (
    <section className="screen replay-screen" aria-labelledby="replay-title">
      <header className="screen-header">
        <h1 id="replay-title">Replay</h1>
        <p className="muted screen-intro">Sends stored events to one destination again, through its filters and settings, beside its live delivery.</p>
      </header>
      <div className="routing-body">
        <ReplayForm />
        <ReplayJobs />
      </div>
    </section>
  )
}
