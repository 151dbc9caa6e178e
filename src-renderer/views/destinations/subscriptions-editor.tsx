// An Action destination's subscriptions: which events (FQL) go to which action with which mapping.
// Presets come enabled; the mapping is edited as JSON (mapping-kit directives such as @path).

import { useState } from 'react'
import type { CatalogueDestination } from '../../../src-shared/api'
import type { SubscriptionDraft } from './destination-draft'
import { FieldError } from './field-errors'

export function SubscriptionsEditor({ definition, value, onChange }: { definition: CatalogueDestination; value: SubscriptionDraft[]; onChange(value: SubscriptionDraft[]): void }) {
  const [adding, setAdding] = useState(definition.actions[0]?.key ?? '')
  const set = (i: number, patch: Partial<SubscriptionDraft>): void => onChange(value.map((s, j) => (j === i ? { ...s, ...patch } : s)))
  const add = (): void => {
    const action = definition.actions.find((a) => a.key === adding)
    if (!action) return
    onChange([...value, { name: action.title, subscribe: action.defaultSubscription ?? 'type = "track"', partnerAction: action.key, enabled: true, mappingText: JSON.stringify(action.defaultMapping ?? {}, null, 2) }])
  }

  return (
    <div className="subscriptions">
      {value.length === 0 && <p className="muted">No subscriptions: nothing will be sent. Add one from the destination’s actions.</p>}
      <ul className="subscription-list" aria-label="Subscriptions">
        {value.map((sub, i) => (
          <SubscriptionRow key={i} index={i} sub={sub} definition={definition} onChange={(patch) => set(i, patch)} onRemove={() => onChange(value.filter((_, j) => j !== i))} />
        ))}
      </ul>
      {definition.actions.length > 0 && (
        <div className="inline-fields">
          <select className="input" aria-label="Action to add" value={adding} onChange={(e) => setAdding(e.target.value)}>
            {definition.actions.map((a) => (
              <option key={a.key} value={a.key}>
                {a.title}
              </option>
            ))}
          </select>
          <button type="button" className="button small" onClick={add}>
            Add subscription
          </button>
        </div>
      )}
    </div>
  )
}

function SubscriptionRow({ index, sub, definition, onChange, onRemove }: { index: number; sub: SubscriptionDraft; definition: CatalogueDestination; onChange(patch: Partial<SubscriptionDraft>): void; onRemove(): void }) {
  const [mapping, setMapping] = useState(false)
  const path = `settings.subscriptions[${index}]`
  const action = definition.actions.find((a) => a.key === sub.partnerAction)
  return (
    <li className="subscription" aria-label={`Subscription ${sub.name}`}>
      <div className="subscription-head">
        <label className="checkbox-row">
          <input type="checkbox" checked={sub.enabled} onChange={(e) => onChange({ enabled: e.target.checked })} aria-label={`Enable ${sub.name}`} />
          <input className="input" value={sub.name} aria-label="Subscription name" onChange={(e) => onChange({ name: e.target.value })} />
        </label>
        <span className="badge" title={action?.description}>
          {action?.title ?? sub.partnerAction}
        </span>
        <button type="button" className="link-button" aria-expanded={mapping} onClick={() => setMapping(!mapping)}>
          {mapping ? 'Hide mapping' : 'Edit mapping (JSON)'}
        </button>
        <button type="button" className="button small ghost danger-text" onClick={onRemove}>
          Remove
        </button>
      </div>
      <label className="form-label-block">
        <span className="form-label">Trigger (FQL)</span>
        <input className="input mono" name={`${path}.subscribe`} value={sub.subscribe} spellCheck={false} onChange={(e) => onChange({ subscribe: e.target.value })} />
      </label>
      <FieldError path={`${path}.subscribe`} />
      <FieldError path={`${path}.partnerAction`} />
      <FieldError path={`${path}.name`} />
      {mapping && (
        <label className="form-label-block">
          <span className="form-label">Mapping</span>
          <textarea className="input textarea mono" name={`${path}.mapping`} rows={8} spellCheck={false} value={sub.mappingText} onChange={(e) => onChange({ mappingText: e.target.value })} />
        </label>
      )}
      <FieldError path={`${path}.mapping`} />
    </li>
  )
}
