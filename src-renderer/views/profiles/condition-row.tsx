// One audience condition: a profile trait or a computed trait compared with a value, or an event done (at
// least N times) or not (fewer than N times; never by default), ever or within the last N days. The inputs
// wrap as a group beside the Remove button, which stays on the first line. The engine's refusal shows under
// the row it names.

import { CONDITION_OPERATORS, type ComputedTrait, type ConditionOperator } from '../../../src-shared/identity'
import { NEW_CONDITION, type ConditionDraft } from './drafts'

const OP_LABEL: Record<ConditionOperator, string> = { '=': '=', '!=': '≠', '>': '>', '>=': '≥', '<': '<', '<=': '≤', contains: 'contains', exists: 'exists', not_exists: 'does not exist' }

export interface ConditionRowProps {
  index: number
  draft: ConditionDraft
  traits: readonly ComputedTrait[]
  error: string | null
  onChange(next: ConditionDraft): void
  onRemove: (() => void) | null
}

export function ConditionRow({ index, draft, traits, error, onChange, onRemove }: ConditionRowProps) {
  const n = index + 1
  const invalid = error ? { 'aria-invalid': true as const } : {}
  return (
    <li className="condition-row" data-condition={index}>
      <div className="condition-line">
        <div className="inline-fields condition-inputs">
          <select className="input condition-kind" aria-label={`Condition ${n} kind`} value={draft.kind} onChange={(e) => onChange(NEW_CONDITION[e.target.value as ConditionDraft['kind']])}>
            <option value="trait">Trait</option>
            <option value="computed">Computed trait</option>
            <option value="event">Event</option>
          </select>
          {draft.kind === 'trait' && (
            <>
              <input className="input mono" aria-label={`Condition ${n} trait`} placeholder="plan" value={draft.key} onChange={(e) => onChange({ ...draft, key: e.target.value })} spellCheck={false} {...invalid} />
              <OperatorSelect n={n} op={draft.op} onChange={(op) => onChange({ ...draft, op })} />
              <ValueInput n={n} op={draft.op} value={draft.value} onChange={(value) => onChange({ ...draft, value })} invalid={invalid} />
            </>
          )}
          {draft.kind === 'computed' && (
            <>
              <select className="input" aria-label={`Condition ${n} computed trait`} value={draft.traitId} onChange={(e) => onChange({ ...draft, traitId: e.target.value })} {...invalid}>
                <option value="">Pick a computed trait</option>
                {traits.map((t) => (
                  <option key={t.id} value={t.id}>
                    {t.name}
                  </option>
                ))}
              </select>
              <OperatorSelect n={n} op={draft.op} onChange={(op) => onChange({ ...draft, op })} />
              <ValueInput n={n} op={draft.op} value={draft.value} onChange={(value) => onChange({ ...draft, value })} invalid={invalid} />
            </>
          )}
          {draft.kind === 'event' && (
            <>
              <select className="input narrow-select" aria-label={`Condition ${n} did or did not`} value={draft.did ? 'did' : 'not'} onChange={(e) => onChange({ ...draft, did: e.target.value === 'did' })}>
                <option value="did">did</option>
                <option value="not">did not do</option>
              </select>
              <input className="input" aria-label={`Condition ${n} event`} placeholder="Order Completed" value={draft.event} onChange={(e) => onChange({ ...draft, event: e.target.value })} {...invalid} />
              <span className="field-group">
                <span className="muted">at least</span>
                <input className="input tiny" aria-label={`Condition ${n} at least`} placeholder="1" inputMode="numeric" value={draft.atLeast} onChange={(e) => onChange({ ...draft, atLeast: e.target.value })} {...invalid} />
                <span className="muted" title={draft.did ? undefined : 'Matches profiles that did it fewer times: never, with 1'}>
                  {draft.did ? 'times' : times(draft.atLeast)}
                </span>
              </span>
              <span className="field-group">
                <select className="input narrow-select" aria-label={`Condition ${n} when`} value={draft.ever ? 'ever' : 'days'} onChange={(e) => onChange({ ...draft, ever: e.target.value === 'ever' })}>
                  <option value="ever">ever</option>
                  <option value="days">in the last</option>
                </select>
                {!draft.ever && (
                  <>
                    <input className="input tiny" aria-label={`Condition ${n} days`} inputMode="numeric" value={draft.withinDays} onChange={(e) => onChange({ ...draft, withinDays: e.target.value })} {...invalid} />
                    <span className="muted">days</span>
                  </>
                )}
              </span>
            </>
          )}
        </div>
        {onRemove && (
          <button type="button" className="button small ghost" aria-label={`Remove condition ${n}`} onClick={onRemove}>
            Remove
          </button>
        )}
      </div>
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
    </li>
  )
}

/** After "did not do X at least N": what it means, as N is easy to misread there. */
function times(atLeast: string): string {
  const n = Number(atLeast.trim() || '1')
  return Number.isInteger(n) && n > 1 ? `times (fewer than ${n})` : 'times (never)'
}

function OperatorSelect({ n, op, onChange }: { n: number; op: ConditionOperator; onChange(op: ConditionOperator): void }) {
  return (
    <select className="input narrow-select" aria-label={`Condition ${n} operator`} value={op} onChange={(e) => onChange(e.target.value as ConditionOperator)}>
      {CONDITION_OPERATORS.map((o) => (
        <option key={o} value={o}>
          {OP_LABEL[o]}
        </option>
      ))}
    </select>
  )
}

function ValueInput({ n, op, value, onChange, invalid }: { n: number; op: ConditionOperator; value: string; onChange(value: string): void; invalid: object }) {
  if (op === 'exists' || op === 'not_exists') return null
  return <input className="input" aria-label={`Condition ${n} value`} placeholder="value" value={value} onChange={(e) => onChange(e.target.value)} {...invalid} />
}
