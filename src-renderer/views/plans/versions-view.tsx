// A plan's versions, newest first, and a text diff between any two of them (the plan as JSON, line by line).

import { useEffect, useState } from 'react'
import type { PlanDiff, PlanRuleRef, PlanVersion, PlanVersionSummary } from '../../../src-shared/plans'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { formatDateTime } from '../../format/time'
import { planPath } from '../../state/plans-store'
import { CopyButton } from '../../components/copy-button'
import { diffText, foldDiff, lineDiff, type DiffLine } from './line-diff'
import { ruleLabel } from './plan-file'
import { FormError } from '../../components/form-error'

const versionText = (v: PlanVersion): string => JSON.stringify(v.rules, null, 2)
const refLabel = (r: PlanRuleRef): string => `${ruleLabel(r)}${r.version > 1 ? ` (v${r.version})` : ''}`

export function VersionsView({ id }: { id: number }) {
  const [versions, setVersions] = useState<PlanVersionSummary[] | null>(null)
  const [name, setName] = useState('')
  const [pair, setPair] = useState<{ from: number; to: number } | null>(null)
  const [diff, setDiff] = useState<DiffLine[] | null>(null)
  const [summary, setSummary] = useState<PlanDiff | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    void (async () => {
      try {
        const [plan, list] = await Promise.all([api.getPlan(id, abort.signal), api.planVersions(id, abort.signal)])
        const sorted = [...list].sort((a, b) => b.version - a.version)
        setName(plan.name)
        setVersions(sorted)
        const newest = sorted[0]
        if (newest) setPair({ from: sorted[1]?.version ?? newest.version, to: newest.version })
      } catch (e) {
        if (!abort.signal.aborted) setError(errorMessage(e))
      }
    })()
    return () => abort.abort()
  }, [id])

  useEffect(() => {
    if (!pair) return
    const abort = new AbortController()
    setDiff(null)
    void (async () => {
      try {
        const [a, b, changes] = await Promise.all([api.planVersion(id, pair.from, abort.signal), api.planVersion(id, pair.to, abort.signal), api.planDiff(id, pair.from, pair.to, abort.signal)])
        setDiff(lineDiff(versionText(a), versionText(b)))
        setSummary(changes)
      } catch (e) {
        if (!abort.signal.aborted) setError(errorMessage(e))
      }
    })()
    return () => abort.abort()
  }, [id, pair])

  return (
    <section className="screen plans-screen" aria-labelledby="versions-title">
      <header className="screen-header">
        <h1 id="versions-title">Versions of {name || `plan ${id}`}</h1>
        <p className="muted screen-intro">
          Every save is kept. <Link to={planPath(id)}>Back to the editor</Link>
        </p>
      </header>
      <FormError message={error} />
      {versions && (
        <div className="versions-body">
          <table className="versions-table" aria-label="Plan versions">
            <thead>
              <tr>
                <th scope="col">Version</th>
                <th scope="col">Saved</th>
                <th scope="col">Rules</th>
                <th scope="col">Note</th>
                <th scope="col">Compare</th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-version={v.version}>
                  <td>v{v.version}</td>
                  <td>{formatDateTime(v.createdAt).slice(0, 19)}</td>
                  <td>{v.rules}</td>
                  <td>{v.note ?? <span className="muted">—</span>}</td>
                  <td className="compare">
                    <label>
                      <input type="radio" name="from" aria-label={`From v${v.version}`} checked={pair?.from === v.version} onChange={() => setPair((p) => ({ from: v.version, to: p?.to ?? v.version }))} /> from
                    </label>
                    <label>
                      <input type="radio" name="to" aria-label={`To v${v.version}`} checked={pair?.to === v.version} onChange={() => setPair((p) => ({ from: p?.from ?? v.version, to: v.version }))} /> to
                    </label>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          {pair && (
            <figure className="plan-diff">
              <figcaption>
                v{pair.from} → v{pair.to}
              </figcaption>
              {summary && diff && (
                <ul className="diff-summary" aria-label="Rule changes">
                  {summary.added.map((r) => (
                    <li key={`a${r.type}${r.key ?? ''}`} className="diff-add">
                      added {refLabel(r)}
                    </li>
                  ))}
                  {summary.removed.map((r) => (
                    <li key={`r${r.type}${r.key ?? ''}`} className="diff-del">
                      removed {refLabel(r)}
                    </li>
                  ))}
                  {summary.changed.map((r) => (
                    <li key={`c${r.type}${r.key ?? ''}`}>
                      changed {refLabel(r)}: <code>{r.paths.join(', ')}</code>
                    </li>
                  ))}
                </ul>
              )}
              {diff === null ? (
                <p className="loading">Loading…</p>
              ) : diff.every((l) => l.op === ' ') ? (
                <p className="muted">No differences.</p>
              ) : (
                <>
                  <CopyButton text={diffText(diff)} title="Copy the diff as text" />
                  <pre aria-label="Diff">
                    {foldDiff(diff, 4).map((line, i) =>
                      line.op === '@' ? (
                        <span key={i} className="diff-fold">{`@@ ${line.skipped} unchanged ${line.skipped === 1 ? 'line' : 'lines'} @@\n`}</span>
                      ) : (
                        <span key={i} className={line.op === '+' ? 'diff-add' : line.op === '-' ? 'diff-del' : 'diff-same'}>
                          {`${line.op} ${line.text}\n`}
                        </span>
                      )
                    )}
                  </pre>
                </>
              )}
            </figure>
          )}
        </div>
      )}
    </section>
  )
}
