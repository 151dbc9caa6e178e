// Destination filters, Segment's way: each has a title, an FQL condition and an action; the preview
// beside them runs the current (complete) filters over recent events of the connected sources.

import type { FilterDraft } from './filter-draft'
import { emptyFilter, FILTER_ACTIONS, type FilterAction } from './filter-draft'
import { FieldError } from './field-errors'
import { FilterPreview } from './filter-preview'

export function FiltersEditor({ value, sourceIds, consent, destinationId, onChange }: { value: FilterDraft[]; sourceIds: number[]; consent: string; destinationId?: number; onChange(value: FilterDraft[]): void }) {
  const set = (i: number, patch: Partial<FilterDraft>): void => onChange(value.map((f, j) => (j === i ? { ...f, ...patch } : f)))
  return (
    <div className="filters-layout">
      <div className="filters-editor">
        <p className="field-help">Applied in Segment’s order: sample, drop, drop properties, allow properties. “all” matches every event.</p>
        <ol className="filter-list" aria-label="Filters">
          {value.map((f, i) => (
            <FilterRow key={i} index={i} filter={f} onChange={(patch) => set(i, patch)} onRemove={() => onChange(value.filter((_, j) => j !== i))} />
          ))}
        </ol>
        <button type="button" className="button small" onClick={() => onChange([...value, emptyFilter()])}>
          Add filter
        </button>
      </div>
      <FilterPreview filters={value} sourceIds={sourceIds} consent={consent} destinationId={destinationId} />
    </div>
  )
}

function FilterRow({ index, filter, onChange, onRemove }: { index: number; filter: FilterDraft; onChange(patch: Partial<FilterDraft>): void; onRemove(): void }) {
  const at = (field: string): string => `filters[${index}].${field}`
  return (
    <li className="filter" aria-label={`Filter ${index + 1}`}>
      <div className="inline-fields">
        <input type="checkbox" checked={filter.enabled} aria-label={`Filter ${index + 1} enabled`} onChange={(e) => onChange({ enabled: e.target.checked })} />
        <input className="input grow" name={at('title')} aria-label="Filter title" placeholder="Title, e.g. Drop test users" value={filter.title} onChange={(e) => onChange({ title: e.target.value })} />
        <button type="button" className="button small ghost danger-text" onClick={onRemove} aria-label={`Remove filter ${index + 1}`}>
          Remove
        </button>
      </div>
      <FieldError path={at('title')} />
      <label className="form-label-block">
        <span className="form-label">If (FQL)</span>
        <input className="input mono" name={at('if')} aria-label="Filter condition" placeholder='type = "track" and length(userId) < 1' spellCheck={false} value={filter.if} onChange={(e) => onChange({ if: e.target.value })} />
      </label>
      <FieldError path={at('if')} />
      <div className="inline-fields">
        <select className="input" aria-label="Filter action" value={filter.action} onChange={(e) => onChange({ action: e.target.value as FilterAction })}>
          {FILTER_ACTIONS.map((a) => (
            <option key={a.action} value={a.action}>
              {a.label}
            </option>
          ))}
        </select>
        {filter.action === 'sample' && (
          <>
            <input className="input narrow" name={at('percent')} aria-label="Percent to keep" inputMode="decimal" value={filter.percent} onChange={(e) => onChange({ percent: e.target.value })} />
            <span className="muted">% kept, by</span>
            <input className="input" name={at('path')} aria-label="Sample by field" placeholder="random (or e.g. userId)" value={filter.path} spellCheck={false} onChange={(e) => onChange({ path: e.target.value })} />
          </>
        )}
        {(filter.action === 'drop_properties' || filter.action === 'allow_properties') && (
          <input className="input grow mono" name={at('fields')} aria-label="Properties" placeholder="properties.email, context.ip" value={filter.fields} spellCheck={false} onChange={(e) => onChange({ fields: e.target.value })} />
        )}
      </div>
      <FieldError path={at('percent')} />
      <FieldError path={at('path')} />
      <FieldError path={at('fields')} />
    </li>
  )
}
