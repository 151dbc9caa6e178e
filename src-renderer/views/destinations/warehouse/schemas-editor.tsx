// The schema each connected source loads into. Empty means Segment's rule (the source name in snake_case,
// shown as the placeholder); the engine pins that name on save, so renaming the source later does not
// move its data.

import { useSources } from '../../../state/sources-store'
import { FieldError, useFieldError } from '../field-errors'
import type { FieldValues } from '../settings-fields'
import { defaultSchemaName } from './schema-name'
import { schemaPath, schemaValueKey } from './warehouse-draft'
import './warehouse.css'

export function SchemasEditor({ sourceIds, values, onChange }: { sourceIds: number[]; values: FieldValues; onChange(values: FieldValues): void }) {
  const sources = useSources((s) => s.sources)
  if (sourceIds.length === 0) return <p className="muted">Connect a source (above) to choose the schema it loads into.</p>
  return (
    <div className="schemas-editor">
      <p className="field-help">One PostgreSQL schema per source, holding its tracks, identifies, users… and a table per event. Empty: the source name in snake_case.</p>
      {sourceIds.map((id) => {
        const name = sources.find((s) => s.id === id)?.name ?? `Source ${id}`
        const key = schemaValueKey(id)
        return <SchemaInput key={id} sourceName={name} path={schemaPath(id)} value={typeof values[key] === 'string' ? (values[key] as string) : ''} onChange={(v) => onChange({ ...values, [key]: v })} />
      })}
    </div>
  )
}

function SchemaInput({ sourceName, path, value, onChange }: { sourceName: string; path: string; value: string; onChange(value: string): void }) {
  const invalid = Boolean(useFieldError(path))
  return (
    <div className="form-row">
      <label className="schema-row">
        <span className="schema-source">{sourceName}</span>
        <input className="input mono" name={path} aria-invalid={invalid} aria-label={`Schema for ${sourceName}`} value={value} placeholder={defaultSchemaName(sourceName) ?? 'chosen by Loupe'} spellCheck={false} autoComplete="off" onChange={(e) => onChange(e.target.value)} />
      </label>
      <FieldError path={path} />
    </div>
  )
}
