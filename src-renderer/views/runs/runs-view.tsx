// Runs (QA mode): every test run with its write key and event count; a run opens beside the list with its
// events, end / clear, and an Expectations panel that checks a pasted file against it.

import { useEffect } from 'react'
import { useRuns, watchRuns } from '../../state/runs-store'
import { RunDetail } from './run-detail'
import { RunList } from './run-list'
import './runs.css'

export function RunsView({ openId }: { openId: string | null }) {
  useEffect(() => watchRuns(openId), [openId])
  const run = useRuns((s) => (openId ? s.runs.find((r) => r.id === openId) ?? null : null))
  const loaded = useRuns((s) => s.loaded)
  return (
    <section className="screen runs-screen" aria-labelledby="runs-title">
      <header className="screen-header">
        <h1 id="runs-title">Runs</h1>
        <p className="muted screen-intro">
          Test runs made by <code>POST /api/runs</code>, <code>loupe/testing</code> or its Playwright fixture. Each has a write key of its own, so
          its events never mix with another run’s.
        </p>
      </header>
      <div className="runs-body">
        <RunList openId={openId} />
        {openId && run && <RunDetail key={run.id} run={run} />}
        {openId && !run && loaded && (
          <p className="empty-state" role="status">
            No test run with id “{openId}”.
          </p>
        )}
      </div>
    </section>
  )
}
