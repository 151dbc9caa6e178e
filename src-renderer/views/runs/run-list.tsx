import type { TestRun } from '../../../src-shared/qa'
import { CopyButton } from '../../components/copy-button'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { useRuns } from '../../state/runs-store'
import { runPath } from './run-routes'
import { FormError } from '../../components/form-error'

/** With a run open beside it, the list keeps only what picks a run: the open run shows the rest. */
export function RunList({ openId }: { openId: string | null }) {
  const compact = openId !== null
  const runs = useRuns((s) => s.runs)
  const loaded = useRuns((s) => s.loaded)
  const error = useRuns((s) => s.error)
  return (
    <section className="run-list-section" aria-labelledby="run-list-title">
      <h2 id="run-list-title" className="section-heading">
        Test runs
      </h2>
      <FormError message={error} />
      {loaded && runs.length === 0 && <p className="empty-state">No test runs yet. Start one with <code>POST /api/runs</code> or <code>loupe.startRun()</code>.</p>}
      <table className="runs-table" aria-label="Test runs">
        {runs.length > 0 && (
          <thead>
            <tr>
              <th scope="col">Name</th>
              {!compact && <th scope="col">Write key</th>}
              <th scope="col">Started</th>
              {!compact && <th scope="col">Ended</th>}
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col" className="num">
                Assertions
              </th>
              <th scope="col" className="num">
                Violations
              </th>
            </tr>
          </thead>
        )}
        <tbody>
          {runs.map((run) => (
            <RunRow key={run.id} run={run} open={run.id === openId} compact={compact} />
          ))}
        </tbody>
      </table>
    </section>
  )
}

function RunRow({ run, open, compact }: { run: TestRun; open: boolean; compact: boolean }) {
  const ended = run.endedAt ? formatDateTime(run.endedAt).slice(0, 19) : <span className="state-badge run-open">open</span>
  return (
    <tr className={open ? 'open' : undefined} aria-current={open ? 'true' : undefined}>
      <td>
        <Link to={runPath(run.id)} className="run-name">
          {run.name || '(unnamed)'}
        </Link>
        <div className="muted mono run-id">{run.id}</div>
      </td>
      {!compact && (
        <td>
          <div className="write-key-cell">
            <span className="mono write-key-text">{run.writeKey}</span>
            <CopyButton text={run.writeKey} title={`Copy the write key of ${run.name || run.id}`} />
          </div>
        </td>
      )}
      <td className="nowrap">
        {formatDateTime(run.startedAt).slice(0, 19)}
        {compact && <div className="muted">{run.endedAt ? 'ended' : ended}</div>}
      </td>
      {!compact && <td className="nowrap">{ended}</td>}
      <td className="num">{formatCount(run.events)}</td>
      <td className="num" data-fact="assertions">
        {formatCount(run.assertions.checked)}
        {run.assertions.failed > 0 && <span className="danger-text"> ({formatCount(run.assertions.failed)} failed)</span>}
      </td>
      <td className="num" data-fact="violations" title={run.violations ? `${run.violations.total} violations in all` : 'No tracking plan on these sources'}>
        {run.violations === null ? <span className="muted">no plan</span> : run.violations.events === 0 ? '0' : <span className="danger-text">{formatCount(run.violations.events)} events</span>}
      </td>
    </tr>
  )
}
