import { useSources } from '../../state/sources-store'
import { FieldError } from './field-errors'

const CONNECT_HINT = 'A newly connected source starts from now; use Replay for what is already stored.'

export function SourcesPicker({ value, onChange, hint = CONNECT_HINT }: { value: number[]; onChange(ids: number[]): void; hint?: string }) {
  const sources = useSources((s) => s.sources)
  const toggle = (id: number, on: boolean): void => onChange(on ? [...value, id] : value.filter((v) => v !== id))
  return (
    <div className="sources-picker" role="group" aria-label="Connected sources">
      {sources.length === 0 && <p className="muted">No sources yet: events sent with any write key create one.</p>}
      {sources.map((s) => (
        <label key={s.id} className="checkbox-row">
          <input type="checkbox" checked={value.includes(s.id)} onChange={(e) => toggle(s.id, e.target.checked)} />
          <span>{s.name}</span>
        </label>
      ))}
      {hint && <p className="field-help">{hint}</p>}
      <FieldError path="sourceIds" />
    </div>
  )
}
