// The matchers: built-in ones and the workspace's custom ones, each with the class in force (changed
// here for every field it finds, unless a field has its own class from triage). Custom matchers are a
// regular expression over field names or values; the engine checks them, and a refusal is shown on the
// field it names (`custom[3].pattern`).

import { useEffect, useState, type FormEvent } from 'react'
import { CLASSIFICATIONS, type Classification, type CustomMatcher, type MatcherInfo } from '../../../src-shared/privacy'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import type { PrivacySettingsInput } from '../../api/client'
import { FormError } from '../../components/form-error'
import { ClassBadge } from '../../components/pii-flag'
import { usePrivacy, withMatcherClass } from '../../state/privacy-store'

/** A refusal of the engine, on the row of the matcher it names. */
interface RowError {
  matcher: string
  message: string
}

export function MatchersPanel() {
  const matchers = usePrivacy((s) => s.matchers)
  const settings = usePrivacy((s) => s.settings)
  const loadError = usePrivacy((s) => s.errors.matchers)
  const [rowError, setRowError] = useState<RowError | null>(null)
  const [busy, setBusy] = useState<string | null>(null)
  // The class picked shows at once, until the engine's list replaces it.
  const [picked, setPicked] = useState<{ matcher: string; classification: Classification } | null>(null)

  useEffect(() => void usePrivacy.getState().loadMatchers(), [])

  const save = async (matcher: MatcherInfo, next: PrivacySettingsInput): Promise<void> => {
    setBusy(matcher.id)
    setRowError(null)
    try {
      await usePrivacy.getState().saveSettings(next)
    } catch (e) {
      setRowError({ matcher: matcher.id, message: e instanceof ApiError && e.field ? `${e.field}: ${messageAfterField(e)}` : errorMessage(e) })
    } finally {
      setBusy(null)
      setPicked(null)
    }
  }

  if (loadError) return <FormError message={loadError} />
  if (!matchers || !settings) return <p className="muted loading">Loading matchers…</p>
  const builtIn = matchers.filter((m) => !m.custom)
  const custom = matchers.filter((m) => m.custom)

  const rows = (list: MatcherInfo[]) =>
    list.map((m) => (
      <tr key={m.id} data-matcher={m.id} data-class={m.classification}>
        <th scope="row">
          <span className="matcher-name">{m.name}</span>
          <code className="matcher-id">{m.id}</code>
        </th>
        <td className="muted">{m.matchesOn}</td>
        <td className="description">{m.description}</td>
        <td>
          <ClassBadge classification={m.defaultClassification} />
        </td>
        <td>
          <div className="class-cell">
            <select
              className={`input small class-select pii-${m.classification}`}
              aria-label={`Class of ${m.name}`}
              aria-invalid={rowError?.matcher === m.id ? true : undefined}
              disabled={busy !== null}
              value={picked?.matcher === m.id ? picked.classification : m.classification}
              onChange={(e) => {
                const classification = e.target.value as Classification
                setPicked({ matcher: m.id, classification })
                void save(m, withMatcherClass(settings, m, classification))
              }}
            >
              {CLASSIFICATIONS.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
            {m.custom && (
              <button type="button" className="button small ghost" disabled={busy !== null} aria-label={`Remove ${m.name}`} onClick={() => void save(m, { ...settings, custom: settings.custom.filter((c) => c.id !== m.id) })}>
                Remove
              </button>
            )}
          </div>
          {rowError?.matcher === m.id && <p className="field-error" role="alert">{rowError.message}</p>}
        </td>
      </tr>
    ))

  return (
    <div className="privacy-panel matchers-panel">
      <table className="data-table privacy-table" aria-label="Matchers">
        <thead>
          <tr>
            <th scope="col">Matcher</th>
            <th scope="col">Looks at</th>
            <th scope="col">Finds</th>
            <th scope="col">Default</th>
            <th scope="col">Class</th>
          </tr>
        </thead>
        <tbody>{rows(builtIn)}</tbody>
        {custom.length > 0 && (
          <tbody aria-label="Custom matchers">
            <tr className="group-head">
              <th colSpan={5}>Custom matchers</th>
            </tr>
            {rows(custom)}
          </tbody>
        )}
      </table>
      <CustomMatcherForm existing={settings.custom} settings={settings} />
    </div>
  )
}

type Draft = Pick<CustomMatcher, 'name' | 'target' | 'pattern' | 'classification'>
const EMPTY: Draft = { name: '', target: 'value', pattern: '', classification: 'yellow' }

function CustomMatcherForm({ existing, settings }: { existing: readonly CustomMatcher[]; settings: PrivacySettingsInput }) {
  const [draft, setDraft] = useState<Draft>(EMPTY)
  const [busy, setBusy] = useState(false)
  const [fieldError, setFieldError] = useState<{ field: keyof Draft; message: string } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [added, setAdded] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setFieldError(null)
    setAdded(null)
    // The engine names the new matcher's fields by its place in the list: custom[<n>].pattern.
    const prefix = `custom[${existing.length}].`
    try {
      await usePrivacy.getState().saveSettings({ ...settings, custom: [...settings.custom, { ...draft, name: draft.name.trim() }] })
      setAdded(draft.name.trim())
      setDraft(EMPTY)
    } catch (e) {
      const field = e instanceof ApiError && e.field?.startsWith(prefix) ? (e.field.slice(prefix.length) as keyof Draft) : null
      if (field && field in EMPTY) setFieldError({ field, message: messageAfterField(e) })
      else setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const invalid = (field: keyof Draft): true | undefined => (fieldError?.field === field ? true : undefined)
  const errorOf = (field: keyof Draft) =>
    fieldError?.field === field && (
      <p className="field-error" id={`custom-${field}-error`} role="alert">
        {fieldError.message}
      </p>
    )

  return (
    <form className="form-section custom-matcher-form" aria-labelledby="custom-matcher-title" onSubmit={(e) => void submit(e)}>
      <h2 id="custom-matcher-title">Add a custom matcher</h2>
      <p className="muted">A regular expression (JavaScript syntax, case-insensitive) over field names or string values. Custom matchers are tried before the built-in ones.</p>
      <div className="custom-matcher-fields">
        <label className="form-row">
          <span className="form-label">Name</span>
          <input className="input" name="name" value={draft.name} aria-invalid={invalid('name')} aria-describedby={invalid('name') && 'custom-name-error'} onChange={(e) => setDraft({ ...draft, name: e.target.value })} placeholder="Loyalty card" required />
          {errorOf('name')}
        </label>
        <label className="form-row">
          <span className="form-label">Matches</span>
          <select className="input" name="target" value={draft.target} aria-invalid={invalid('target')} onChange={(e) => setDraft({ ...draft, target: e.target.value as Draft['target'] })}>
            <option value="value">values</option>
            <option value="key">field names</option>
          </select>
          {errorOf('target')}
        </label>
        <label className="form-row grow">
          <span className="form-label">Pattern</span>
          <input
            className="input mono"
            name="pattern"
            value={draft.pattern}
            aria-invalid={invalid('pattern')}
            aria-describedby={invalid('pattern') && 'custom-pattern-error'}
            onChange={(e) => setDraft({ ...draft, pattern: e.target.value })}
            placeholder={draft.target === 'key' ? 'loyalty_?card' : '^LC-\\d{8}$'}
            spellCheck={false}
            required
          />
          {errorOf('pattern')}
        </label>
        <label className="form-row">
          <span className="form-label">Class</span>
          <select className="input" name="classification" value={draft.classification} aria-invalid={invalid('classification')} onChange={(e) => setDraft({ ...draft, classification: e.target.value as Classification })}>
            {CLASSIFICATIONS.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
          {errorOf('classification')}
        </label>
        <button type="submit" className="button primary" disabled={busy}>
          {busy ? 'Adding…' : 'Add matcher'}
        </button>
      </div>
      <FormError message={error} />
      {added && (
        <p role="status" className="muted">
          Added “{added}”. It applies to events from now on.
        </p>
      )}
    </form>
  )
}
