// One rule open in the editor: its event name (TRACK), and its schema as the property table or raw JSON.

import { useState } from 'react'
import type { PlanRule } from '../../../src-shared/plans'
import { ruleLabel } from './plan-file'
import { PropertyTable } from './property-table'
import { RawSchemaEditor } from './raw-schema-editor'
import { sectionOf, tableOf } from './rule-table'

interface Props {
  rule: PlanRule
  onChange(rule: PlanRule): void
  onValidity(valid: boolean): void
}

export function RulePane({ rule, onChange, onValidity }: Props) {
  const section = sectionOf(rule.type)
  const table = section ? tableOf(rule.jsonSchema, section) : null
  const [mode, setMode] = useState<'table' | 'json'>(table ? 'table' : 'json')
  const showJson = mode === 'json' || !table
  const label = ruleLabel(rule)

  return (
    <section className="rule-pane" aria-label={`Rule ${label}`}>
      <header className="rule-pane-head">
        {rule.type === 'TRACK' ? (
          <label className="inline-label">
            Event name
            <input className="input" value={rule.key ?? ''} onChange={(e) => onChange({ ...rule, key: e.target.value })} />
          </label>
        ) : (
          <h2>{label}</h2>
        )}
        <div className="segmented" role="group" aria-label="Rule view">
          <button type="button" className={showJson ? '' : 'active'} aria-pressed={!showJson} disabled={!table} onClick={() => setMode('table')}>
            Table
          </button>
          <button type="button" className={showJson ? 'active' : ''} aria-pressed={showJson} onClick={() => setMode('json')}>
            JSON Schema
          </button>
        </div>
      </header>
      {section && !table && <p className="muted">This rule’s {section} are not a plain object schema; edit it as JSON.</p>}
      {rule.type === 'COMMON' && <p className="muted">The common schema applies to the whole payload of every event.</p>}
      {showJson ? (
        <RawSchemaEditor label={`JSON Schema of ${label}`} schema={rule.jsonSchema} onChange={(jsonSchema) => onChange({ ...rule, jsonSchema })} onValidity={onValidity} />
      ) : (
        <PropertyTable label={`Properties of ${label}`} schema={rule.jsonSchema} initial={table!} onChange={(jsonSchema) => onChange({ ...rule, jsonSchema })} onValidity={onValidity} />
      )}
    </section>
  )
}
