// "Test connection": the settings as typed (the same the engine checks on save) tried against the warehouse.
// A refusal names a setting: it is marked at that input, like any other field error of the form.

import { useEffect, useState } from 'react'
import type { WarehouseTestResult } from '../../../../src-shared/warehouse'
import { api } from '../../../api/client'
import { ApiError, errorMessage, messageAfterField } from '../../../api/api-error'
import { FormError } from '../../../components/form-error'
import { placeError, type DestinationDraft, type FieldErrors } from '../destination-draft'
import type { FormField } from '../settings-fields'
import { warehouseSettings } from './warehouse-draft'
import './warehouse.css'

export interface ConnectionTestProps {
  draft: DestinationDraft
  fields: FormField[]
  /** Editing a saved warehouse: its masked password means the saved one. */
  destinationId?: number
  /** The form's inputs by path, where a refusal may be shown. */
  knownPaths: string[]
  /** Replaces the form's settings errors with these (an empty object clears them). */
  onSettingsErrors(errors: FieldErrors): void
}

export function ConnectionTest({ draft, fields, destinationId, knownPaths, onSettingsErrors }: ConnectionTestProps) {
  const [busy, setBusy] = useState(false)
  const [result, setResult] = useState<WarehouseTestResult | null>(null)
  const [error, setError] = useState<string | null>(null)
  // A result is about the settings it tested: any edit makes it old news.
  useEffect(() => {
    setResult(null)
    setError(null)
  }, [draft.values])

  const run = async (): Promise<void> => {
    setError(null)
    const typed = warehouseSettings(draft, fields)
    if (typed.errors) return onSettingsErrors(typed.errors)
    setBusy(true)
    try {
      const answer = await api.testWarehouse(typed.settings, destinationId)
      setResult(answer)
      const at = answer.ok ? null : placeError(`settings.${answer.field ?? 'host'}`, knownPaths)
      onSettingsErrors(at && answer.error ? { [at]: answer.error } : {})
    } catch (e) {
      setResult(null)
      const at = e instanceof ApiError ? placeError(e.field, knownPaths) : null
      if (at) onSettingsErrors({ [at]: messageAfterField(e) })
      else setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const failedField = result && !result.ok ? fields.find((f) => f.key === result.field)?.label : undefined
  return (
    <div className="warehouse-test">
      <button type="button" className="button" onClick={() => void run()} disabled={busy}>
        {busy ? 'Testing…' : 'Test connection'}
      </button>
      {result?.ok && (
        <span className="ok-text" role="status" data-test-result="ok">
          Connected — {result.serverVersion ?? 'PostgreSQL'}
        </span>
      )}
      {result && !result.ok && (
        <span className="danger-text" role="status" data-test-result="failed">
          Connection failed{failedField ? ` — check ${failedField}` : ''}
          {result.serverVersion ? ` (${result.serverVersion})` : ''}
        </span>
      )}
      <FormError message={error} inline />
    </div>
  )
}
