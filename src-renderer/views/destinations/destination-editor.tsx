// The destination form, for a new destination and for editing one. Client-side checks and the
// engine's refusals are shown at the input they concern (FieldErrorsContext); what matches no input
// is shown above the Save button.

import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { CatalogueDestination, Destination } from '../../../src-shared/api'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import { useDestinations } from '../../state/destinations-store'
import { useRouter } from '../../state/router-store'
import { DeliveryRules } from './delivery-rules'
import { draftToRequest, knownPaths, placeError, type DestinationDraft, type FieldErrors } from './destination-draft'
import { deliveriesPath, destinationPath } from './destination-routes'
import { FieldError, FieldErrorsContext } from './field-errors'
import { FiltersEditor } from './filters-editor'
import { SettingsForm } from './settings-form'
import type { FormField } from './settings-fields'
import { SourcesPicker } from './sources-picker'
import { SubscriptionsEditor } from './subscriptions-editor'
import { TestEventPanel } from './test-event-panel'
import { FormError } from '../../components/form-error'
import { ConnectionTest } from './warehouse/connection-test'
import { SchemasEditor } from './warehouse/schemas-editor'
import { schemaPaths, withWarehouseSchemas } from './warehouse/warehouse-draft'

export interface DestinationEditorProps {
  fields: FormField[]
  initial: DestinationDraft
  definition?: CatalogueDestination
  /** Set when editing a saved destination. */
  existing?: Destination
}

export function DestinationEditor({ fields, initial, definition, existing }: DestinationEditorProps) {
  const [draft, setDraft] = useState(initial)
  const [errors, setErrors] = useState<FieldErrors>({})
  const [formError, setFormError] = useState<{ message: string; aboutFields: boolean } | null>(null)
  const [busy, setBusy] = useState(false)
  const [saved, setSaved] = useState(false)
  const formRef = useRef<HTMLFormElement>(null)
  const [refusedAt, setRefusedAt] = useState(0)
  // After a refused save, take the reader to the first field in error (it may be far up the form).
  useEffect(() => {
    if (refusedAt === 0) return
    const first = formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"], [data-error-for]')
    if (first instanceof HTMLInputElement || first instanceof HTMLTextAreaElement || first instanceof HTMLSelectElement) first.focus()
    else void first?.scrollIntoView({ block: 'center' })
  }, [refusedAt])
  const update = (patch: Partial<DestinationDraft>): void => {
    setDraft((d) => ({ ...d, ...patch }))
    setSaved(false)
  }

  const formPaths = [...knownPaths(draft, fields), ...schemaPaths(draft)]
  // The connection test owns the settings' errors while it runs: its answer replaces theirs.
  const showSettingsErrors = (found: FieldErrors): void => {
    setErrors((current) => ({ ...Object.fromEntries(Object.entries(current).filter(([path]) => !path.startsWith('settings.'))), ...found }))
    if (Object.keys(found).length > 0) setRefusedAt(Date.now())
  }

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const result = withWarehouseSchemas(draftToRequest(draft, fields), draft)
    setFormError(null)
    if (result.errors) {
      setErrors(result.errors)
      setFormError({ message: 'Some fields need attention (marked in red).', aboutFields: true })
      setRefusedAt(Date.now())
      return
    }
    setErrors({})
    setBusy(true)
    try {
      const store = useDestinations.getState()
      if (existing) {
        const { kind: _kind, ...patch } = result.request
        await store.update(existing.id, patch)
        setSaved(true)
      } else {
        const created = await store.create(result.request)
        // A warehouse's page shows its tables filling up; other kinds land on their deliveries.
        useRouter.getState().navigate(created.kind === 'warehouse' ? destinationPath(created.id) : deliveriesPath(created.id))
      }
    } catch (e) {
      const at = e instanceof ApiError ? placeError(e.field, formPaths) : null
      if (at) {
        setErrors({ [at]: messageAfterField(e) })
        setFormError({ message: 'The engine refused a field (marked in red).', aboutFields: true })
        setRefusedAt(Date.now())
      } else setFormError({ message: errorMessage(e), aboutFields: false })
    } finally {
      setBusy(false)
    }
  }

  // Inputs are named by their field path: editing one clears its error.
  const clearError = (target: EventTarget): void => {
    const name = (target as { name?: unknown }).name
    if (typeof name === 'string' && name in errors) {
      const { [name]: _cleared, ...rest } = errors
      setErrors(rest)
    }
  }
  const shownFormError = formError && (!formError.aboutFields || Object.keys(errors).length > 0) ? formError.message : null

  return (
    <FieldErrorsContext.Provider value={errors}>
      <form ref={formRef} className="destination-form" onSubmit={(e) => void submit(e)} onInput={(e) => clearError(e.target)} aria-label={existing ? `Edit ${existing.name}` : 'New destination'} noValidate>
        <fieldset className="form-section">
          <legend>Destination</legend>
          <label className="form-row">
            <span className="form-label">Name</span>
            <input className="input" name="name" value={draft.name} maxLength={200} onChange={(e) => update({ name: e.target.value })} aria-invalid={Boolean(errors.name)} />
          </label>
          <FieldError path="name" />
          <label className="form-row checkbox-row">
            <input type="checkbox" checked={draft.enabled} onChange={(e) => update({ enabled: e.target.checked })} />
            <span>Enabled — deliver events as they arrive</span>
          </label>
        </fieldset>

        <fieldset className="form-section">
          <legend>Settings{definition ? ` — ${definition.name}` : ''}</legend>
          <SettingsForm kind={draft.kind} fields={fields} values={draft.values} onChange={(values) => update({ values })} />
          {draft.kind === 'warehouse' && <ConnectionTest draft={draft} fields={fields} destinationId={existing?.id} knownPaths={formPaths} onSettingsErrors={showSettingsErrors} />}
        </fieldset>

        <fieldset className="form-section">
          <legend>Sources</legend>
          <SourcesPicker value={draft.sourceIds} onChange={(sourceIds) => update({ sourceIds })} />
        </fieldset>

        {draft.kind === 'warehouse' && (
          <fieldset className="form-section">
            <legend>Schemas</legend>
            <SchemasEditor sourceIds={draft.sourceIds} values={draft.values} onChange={(values) => update({ values })} />
          </fieldset>
        )}

        {draft.kind === 'actions' && definition && (
          <fieldset className="form-section">
            <legend>Subscriptions</legend>
            <SubscriptionsEditor definition={definition} value={draft.subscriptions} onChange={(subscriptions) => update({ subscriptions })} />
          </fieldset>
        )}

        <fieldset className="form-section">
          <legend>Filters</legend>
          <FiltersEditor value={draft.filters} sourceIds={draft.sourceIds} consent={draft.consent} destinationId={existing?.id} onChange={(filters) => update({ filters })} />
        </fieldset>

        <fieldset className="form-section">
          <legend>Consent and pacing</legend>
          <DeliveryRules draft={draft} onChange={update} />
        </fieldset>

        <div className="form-footer">
          <FormError message={shownFormError} />
          {saved && (
            <p className="saved-note" role="status">
              Saved.
            </p>
          )}
          <button type="submit" className="button primary" disabled={busy}>
            {busy ? 'Saving…' : existing ? 'Save changes' : 'Create destination'}
          </button>
        </div>
      </form>
      {existing && existing.kind !== 'warehouse' && <TestEventPanel destination={existing} />}
    </FieldErrorsContext.Provider>
  )
}
