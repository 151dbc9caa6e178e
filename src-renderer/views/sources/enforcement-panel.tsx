// A source's enforcement of its tracking plan (Protocols' schema configuration): what happens to
// unplanned events and properties and to violations, where violations are forwarded, and which event
// names are blocked outright. Held events are in the Quarantine panel.

import { useEffect, useState, type FormEvent } from 'react'
import type { Source } from '../../../src-shared/api'
import { DEFAULT_ENFORCEMENT, type SourceEnforcement } from '../../../src-shared/enforcement'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { enforcementChanges, useEnforcement, withBlocked, withoutBlocked } from '../../state/enforcement-store'
import { planOfSource, planPath, usePlans } from '../../state/plans-store'
import { useSources } from '../../state/sources-store'
import { ENFORCEMENT_CHOICES } from '../violations/violation-text'
import './enforcement.css'
import { FormError } from '../../components/form-error'

type Choice = keyof typeof ENFORCEMENT_CHOICES

const FIELDS: { key: Choice; label: string; hint: string }[] = [
  { key: 'unplannedEvents', label: 'Unplanned events', hint: 'Track events the plan does not list.' },
  { key: 'unplannedProperties', label: 'Unplanned properties', hint: 'Properties and traits the plan does not list.' },
  { key: 'violations', label: 'Violations', hint: 'Missing required, wrong type, value not allowed.' }
]

export function EnforcementPanel({ source }: { source: Source }) {
  const saved = useEnforcement((s) => s.bySource[source.id])
  const loadError = useEnforcement((s) => s.errors[source.id] ?? null)
  const sources = useSources((s) => s.sources)
  const plan = usePlans((s) => planOfSource(s.plans, source.id))
  const [draft, setDraft] = useState<SourceEnforcement | null>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [status, setStatus] = useState<string | null>(null)
  const [newName, setNewName] = useState('')

  useEffect(() => {
    void useEnforcement.getState().load(source.id)
    void usePlans.getState().load()
  }, [source.id])
  // A change saved elsewhere (the Schema panel's "Block this event") shows here unless a draft is being edited.
  const base = saved ?? null
  const current = draft ?? base
  const changes = base && draft ? enforcementChanges(base, draft) : {}
  const dirty = Object.keys(changes).length > 0

  const edit = (next: Partial<SourceEnforcement>): void => {
    setStatus(null)
    setDraft({ ...(current ?? DEFAULT_ENFORCEMENT), ...next })
  }

  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!dirty) return
    setBusy(true)
    setError(null)
    try {
      await useEnforcement.getState().save(source.id, changes)
      setDraft(null)
      setStatus('Saved')
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const addBlocked = (event: FormEvent): void => {
    event.preventDefault()
    const name = newName.trim()
    if (!name || !current) return
    edit({ blockedEvents: withBlocked(current.blockedEvents, name) })
    setNewName('')
  }

  return (
    <section className="enforcement-panel" aria-label={`Enforcement for ${source.name}`}>
      <h3>Enforcement</h3>
      <p className="muted">
        {plan ? (
          <>
            Applies <Link to={planPath(plan.id)}>{plan.name}</Link> at ingest. Stored events stay as sent: blocking holds an event in quarantine (not delivered until released), omitting
            leaves fields out of what destinations receive.
          </>
        ) : (
          'No tracking plan is connected, so only blocked event names apply. Connect a plan to flag, block or omit by its rules.'
        )}
      </p>
      <FormError message={loadError} />
      {current && (
        <form className="enforcement-form" aria-label={`Enforcement settings of ${source.name}`} onSubmit={(e) => void save(e)}>
          <div className="enforcement-fields">
            {FIELDS.map((field) => (
              <label key={field.key} className="field">
                <span className="field-label">{field.label}</span>
                <select className="input" aria-label={field.label} value={current[field.key]} onChange={(e) => edit({ [field.key]: e.target.value } as Partial<SourceEnforcement>)}>
                  {ENFORCEMENT_CHOICES[field.key].map((choice) => (
                    <option key={choice.value} value={choice.value}>
                      {choice.label}
                    </option>
                  ))}
                </select>
                <span className="muted field-hint">{field.hint}</span>
              </label>
            ))}
            <label className="field">
              <span className="field-label">Forward violations to</span>
              <select
                className="input"
                aria-label="Forward violations to"
                value={current.forwardViolationsTo === null ? '' : String(current.forwardViolationsTo)}
                onChange={(e) => edit({ forwardViolationsTo: e.target.value === '' ? null : Number(e.target.value) })}
              >
                <option value="">None</option>
                {sources
                  .filter((s) => s.id !== source.id)
                  .map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
              </select>
              <span className="muted field-hint">A “Violation Generated” event per violation, sent as that source.</span>
            </label>
          </div>
          <div className="blocked-events">
            <span className="field-label">Blocked events</span>
            {current.blockedEvents.length === 0 ? (
              <p className="muted">None. Block an event from the Schema panel, or name one here.</p>
            ) : (
              <ul aria-label="Blocked events">
                {current.blockedEvents.map((name) => (
                  <li key={name} data-event={name}>
                    <span className="blocked-name">{name}</span>
                    <button type="button" className="button small ghost" aria-label={`Remove ${name}`} onClick={() => edit({ blockedEvents: withoutBlocked(current.blockedEvents, name) })}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
            )}
            <div className="add-blocked">
              <input className="input" aria-label="Event name to block" placeholder="Event name to block" value={newName} onChange={(e) => setNewName(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && addBlocked(e)} />
              <button type="button" className="button small" disabled={newName.trim() === ''} onClick={addBlocked}>
                Block
              </button>
            </div>
          </div>
          <div className="form-actions">
            <button type="submit" className="button primary" disabled={!dirty || busy}>
              {busy ? 'Saving…' : 'Save'}
            </button>
            {dirty && (
              <button type="button" className="button ghost" onClick={() => setDraft(null)}>
                Discard changes
              </button>
            )}
            {status && !dirty && (
              <span role="status" className="saved">
                {status}
              </span>
            )}
            <FormError message={error} inline />
          </div>
        </form>
      )}
    </section>
  )
}
