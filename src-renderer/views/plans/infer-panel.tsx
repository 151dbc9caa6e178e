// "Infer from traffic": what a source sent in a time range, as a draft plan opened in the editor.

import { useState } from 'react'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { fromLocalInputValue } from '../../format/time'
import { PLANS_PATH, usePlans } from '../../state/plans-store'
import { useRouter } from '../../state/router-store'
import { useSources } from '../../state/sources-store'
import { FormError } from '../../components/form-error'

export function InferPanel() {
  const navigate = useRouter((s) => s.navigate)
  const sources = useSources((s) => s.sources)
  const [sourceId, setSourceId] = useState<number | null>(null)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [threshold, setThreshold] = useState('100')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const chosen = sourceId ?? sources[0]?.id ?? null

  const infer = async (): Promise<void> => {
    if (chosen === null) return
    setBusy(true)
    setError(null)
    try {
      const share = Number(threshold) / 100
      const draft = await api.inferPlan({
        sourceId: chosen,
        ...(from ? { from: fromLocalInputValue(from) } : {}),
        ...(to ? { to: fromLocalInputValue(to) } : {}),
        ...(Number.isFinite(share) && share > 0 && share <= 1 ? { requiredThreshold: share } : {})
      })
      const source = sources.find((s) => s.id === chosen)
      usePlans.getState().setDraft({ name: draft.name, description: draft.description ?? '', rules: draft.rules ?? [], origin: `Inferred from ${source?.name ?? `source ${chosen}`}` })
      navigate(`${PLANS_PATH}/new`)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="plan-panel" aria-label="Infer from traffic">
      <h2>Infer from traffic</h2>
      <p className="muted">Events and properties a source actually sent become a draft plan to review.</p>
      <div className="toolbar wrap">
        <label className="inline-label">
          Source
          <select className="input" aria-label="Infer source" value={chosen ?? ''} onChange={(e) => setSourceId(Number(e.target.value))}>
            {sources.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </select>
        </label>
        <label className="inline-label">
          From
          <input className="input" type="datetime-local" aria-label="Infer from" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="inline-label">
          To
          <input className="input" type="datetime-local" aria-label="Infer to" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
        <label className="inline-label" title="A property is required when present in at least this share of the event's occurrences">
          Required at ≥
          <input className="input narrow" type="number" min={1} max={100} aria-label="Required threshold percent" value={threshold} onChange={(e) => setThreshold(e.target.value)} />%
        </label>
        <button type="button" className="button" disabled={busy || chosen === null} onClick={() => void infer()}>
          {busy ? 'Inferring…' : 'Infer plan'}
        </button>
      </div>
      <FormError message={error} />
    </section>
  )
}
