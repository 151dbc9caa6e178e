// Paste an expectations file (JSON or YAML), check it against the open run, read the engine's report.
// The report is shown as text in a <pre>: it quotes event data, which is attacker-controlled.

import { useState } from 'react'
import { errorMessage } from '../../api/api-error'
import { useRuns } from '../../state/runs-store'
import { EXAMPLE_EXPECTATIONS, parseExpectationsText } from './expectations-text'
import { FormError } from '../../components/form-error'

export function ExpectationsPanel({ runId }: { runId: string }) {
  const [text, setText] = useState(EXAMPLE_EXPECTATIONS)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const report = useRuns((s) => (s.report?.runId === runId ? s.report.result : null))

  const check = async (): Promise<void> => {
    setError(null)
    const parsed = parseExpectationsText(text)
    if (!parsed.ok) return setError(parsed.error)
    setBusy(true)
    try {
      await useRuns.getState().check(runId, parsed.file)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="expectations-panel form-section" aria-labelledby="expectations-title">
      <h3 id="expectations-title">Expectations</h3>
      <p className="muted">
        An expectations file as for <code>loupe assert</code> (JSON or YAML, or just its <code>expect</code> list), checked against this run only.
        A <code>timeout</code> in it makes the check wait for late events.
      </p>
      <textarea
        className="textarea mono expectations-input"
        aria-label="Expectations (JSON or YAML)"
        spellCheck={false}
        rows={10}
        value={text}
        onChange={(e) => setText(e.target.value)}
      />
      <div className="button-row">
        <button type="button" className="button primary" onClick={() => void check()} disabled={busy}>
          {busy ? 'Checking…' : 'Check expectations'}
        </button>
      </div>
      <FormError message={error} />
      {report && (
        <div className="expectations-report" data-passed={report.passed}>
          <p className={report.passed ? 'ok-text' : 'danger-text'} role="status">
            {report.passed
              ? `All ${report.results.length} expectation${report.results.length === 1 ? '' : 's'} hold.`
              : `${report.results.filter((r) => !r.passed).length} of ${report.results.length} expectation${report.results.length === 1 ? '' : 's'} failed.`}
          </p>
          <pre className="expectations-report-text" aria-label="Expectations report">
            {report.report}
          </pre>
        </div>
      )}
    </section>
  )
}
