// A generated settings form: one input per field, by its kind (password masked, enum as a select…).

import type { DestinationKind } from '../../../src-shared/api'
import { settingPath } from './destination-draft'
import { FieldError, useFieldError } from './field-errors'
import type { FieldValues, FormField } from './settings-fields'

export function SettingsForm({ kind, fields, values, onChange }: { kind: DestinationKind; fields: FormField[]; values: FieldValues; onChange(values: FieldValues): void }) {
  if (fields.length === 0) return <p className="muted">This destination has no settings.</p>
  return (
    <div className="settings-form">
      {fields.map((field) => (
        <SettingInput key={field.key} field={field} path={settingPath(kind, field.key)} value={values[field.key] ?? ''} onChange={(v) => onChange({ ...values, [field.key]: v })} />
      ))}
    </div>
  )
}

function SettingInput({ field, path, value, onChange }: { field: FormField; path: string; value: string | boolean; onChange(value: string | boolean): void }) {
  const invalid = Boolean(useFieldError(path))
  const common = { name: path, 'aria-invalid': invalid, 'aria-required': field.required }
  const text = typeof value === 'string' ? value : ''
  let control
  switch (field.input) {
    case 'boolean':
      return (
        <div className="form-row">
          <label className="checkbox-row">
            <input type="checkbox" {...common} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
            <span>{field.label}</span>
          </label>
          {field.description && <span className="field-help">{field.description}</span>}
          <FieldError path={path} />
        </div>
      )
    case 'select':
      control = (
        <select className="input" {...common} value={text} onChange={(e) => onChange(e.target.value)}>
          {!field.required && <option value="">—</option>}
          {field.required && text === '' && <option value="">Choose…</option>}
          {field.choices?.map((c) => (
            <option key={String(c.value)} value={String(c.value)}>
              {c.label}
            </option>
          ))}
        </select>
      )
      break
    case 'textarea':
    case 'list':
    case 'json':
    case 'headers':
      control = <textarea className="input textarea" {...common} rows={field.input === 'json' ? 5 : 3} value={text} placeholder={field.placeholder ?? (field.input === 'list' ? 'One per line' : undefined)} spellCheck={false} onChange={(e) => onChange(e.target.value)} />
      break
    default:
      control = (
        <input
          className="input"
          {...common}
          type={field.input === 'password' ? 'password' : 'text'}
          inputMode={field.input === 'number' ? 'decimal' : undefined}
          autoComplete={field.input === 'password' ? 'new-password' : 'off'}
          spellCheck={false}
          value={text}
          placeholder={field.placeholder}
          onChange={(e) => onChange(e.target.value)}
        />
      )
  }
  return (
    <div className="form-row">
      <label className="form-label-block">
        <span className="form-label">
          {field.label}
          {field.required && (
            <span className="required" aria-hidden="true" title="Required">
              {' '}
              *
            </span>
          )}
        </span>
        {control}
      </label>
      {field.description && <span className="field-help">{field.description}</span>}
      <FieldError path={path} />
    </div>
  )
}
