// Which sources the plan checks. A source has at most one plan: ticking one here moves it from its
// current plan, which the hint says before saving.

import { planOfSource, usePlans } from '../../state/plans-store'
import { useSources } from '../../state/sources-store'

export function SourcesConnect({ planId, value, onChange }: { planId: number | null; value: number[]; onChange(ids: number[]): void }) {
  const sources = useSources((s) => s.sources)
  const plans = usePlans((s) => s.plans)
  return (
    <fieldset className="sources-connect">
      <legend>Connected sources</legend>
      {sources.length === 0 && <p className="muted">No sources yet.</p>}
      {sources.map((source) => {
        const other = planOfSource(plans, source.id)
        const elsewhere = other && other.id !== planId ? other : null
        const checked = value.includes(source.id)
        return (
          <label key={source.id} className="check">
            <input type="checkbox" checked={checked} onChange={(e) => onChange(e.target.checked ? [...value, source.id] : value.filter((id) => id !== source.id))} />
            {source.name}
            {elsewhere && <span className="muted"> (now on “{elsewhere.name}”{checked ? ': moves here when saved' : ''})</span>}
          </label>
        )
      })}
    </fieldset>
  )
}
