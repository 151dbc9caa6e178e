// Violations: what broke the tracking plans, per source and range — how many events, how many held in
// quarantine, each (event, kind, field) group with its trend, and sample payloads with the field marked.
// The query lives in the address bar; the report is refreshed while the screen is open.

import { useEffect, useMemo } from 'react'
import type { ViolationGroup } from '../../../src-shared/enforcement'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { eventsUrlSearch } from '../../state/events-url'
import { useRouter } from '../../state/router-store'
import { useSources } from '../../state/sources-store'
import { useViolations } from '../../state/violations-store'
import { PLANS_PATH } from '../../state/plans-store'
import { SamplePane } from './sample-pane'
import { ViolationsTable } from './violations-table'
import { groupKey, parseViolationsUrl, VIOLATION_RANGES, VIOLATIONS_PATH, violationsUrlSearch, type ViolationsQuery } from './violations-url'
import './violations.css'
import { FormError } from '../../components/form-error'
import { SourceOptions } from '../../components/source-options'

const REFRESH_MS = 10_000

export function ViolationsView() {
  const search = useRouter((s) => s.search)
  const navigate = useRouter((s) => s.navigate)
  const query = useMemo(() => parseViolationsUrl(search), [search])
  const sources = useSources((s) => s.sources)
  const { report, error, loading, sample } = useViolations()

  useEffect(() => {
    useViolations.getState().load(query)
    const timer = setInterval(() => useViolations.getState().refresh(), REFRESH_MS)
    return () => clearInterval(timer)
  }, [query])

  const setQuery = (next: ViolationsQuery): void => navigate(`${VIOLATIONS_PATH}${violationsUrlSearch(next)}`, { replace: true })
  const sourceName = (id: number): string => sources.find((s) => s.id === id)?.name ?? `source ${id}`
  const sampleGroup: ViolationGroup | undefined = sample ? report?.groups.find((g) => groupKey(g) === sample.groupKey) : undefined
  const rangeLabel = VIOLATION_RANGES.find((r) => r.id === query.range)!.label.toLowerCase()
  const heldPath = `/events${eventsUrlSearch({ filters: { ...(query.source !== undefined ? { source: query.source } : {}), quarantined: true }, time: { kind: 'all' } })}`

  return (
    <section className="screen violations-screen" aria-labelledby="violations-title">
      <header className="screen-header">
        <h1 id="violations-title">Violations</h1>
        <div className="toolbar-inline" role="search">
          <select
            className="input"
            aria-label="Source"
            value={query.source === undefined ? '' : String(query.source)}
            onChange={(e) => setQuery({ range: query.range, ...(e.target.value === '' ? {} : { source: Number(e.target.value) }) })}
          >
            <SourceOptions sources={sources} />
          </select>
          <div className="segmented" role="group" aria-label="Range">
            {VIOLATION_RANGES.map((r) => (
              <button key={r.id} type="button" className={r.id === query.range ? 'active' : ''} aria-pressed={r.id === query.range} onClick={() => setQuery({ ...query, range: r.id })}>
                {r.label}
              </button>
            ))}
          </div>
          <button type="button" className="button small" disabled={loading} onClick={() => useViolations.getState().refresh()}>
            Refresh
          </button>
        </div>
      </header>
      <div className="split">
        <div className="violations-body">
          <FormError message={error} />
          {!report && !error && <p className="muted loading">Loading violations…</p>}
          {report && (
            <>
              <dl className="violations-summary" aria-label="Summary">
                <div data-testid="events-with-violations">
                  <dt>Events with violations</dt>
                  <dd>{formatCount(report.eventsWithViolations)}</dd>
                </div>
                <div data-testid="quarantined-now">
                  <dt>Held in quarantine now</dt>
                  <dd>
                    {report.quarantined > 0 ? <Link to={heldPath}>{formatCount(report.quarantined)}</Link> : formatCount(report.quarantined)}
                  </dd>
                </div>
                {report.quarantineExpired > 0 && (
                  <div data-testid="quarantine-expired">
                    <dt>Held, deleted by retention</dt>
                    <dd>{formatCount(report.quarantineExpired)}</dd>
                  </div>
                )}
              </dl>
              {report.groups.length === 0 ? (
                <p className="empty-state">
                  No violations in the {rangeLabel}. Violations are found at ingest for sources connected to a <Link to={PLANS_PATH}>tracking plan</Link>.
                </p>
              ) : (
                <ViolationsTable
                  report={report}
                  sourceName={sourceName}
                  showSource={query.source === undefined}
                  sample={sample}
                  onSample={(group, eventId) => useViolations.getState().openSample({ groupKey: groupKey(group), eventId })}
                />
              )}
            </>
          )}
        </div>
        {sampleGroup && <SamplePane group={sampleGroup} />}
      </div>
    </section>
  )
}
