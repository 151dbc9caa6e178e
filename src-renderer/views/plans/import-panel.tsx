// Import Segment's tracking-plan JSON (or a JSON Schema file per event), pasted or uploaded. The engine
// checks and compiles every rule and names the one that is wrong; the new plan then opens in the editor.

import { useState } from 'react'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { planPath, usePlans } from '../../state/plans-store'
import { useRouter } from '../../state/router-store'
import { FormError } from '../../components/form-error'

export function ImportPanel() {
  const navigate = useRouter((s) => s.navigate)
  const [text, setText] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (value: string): Promise<void> => {
    let body: unknown
    try {
      body = JSON.parse(value)
    } catch (e) {
      setError(`Not JSON: ${e instanceof Error ? e.message : String(e)}`)
      return
    }
    setBusy(true)
    setError(null)
    try {
      const plan = await api.importPlan(body)
      usePlans.getState().upsert(plan)
      navigate(planPath(plan.id))
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="plan-panel" aria-label="Import a plan">
      <h2>Import</h2>
      <p className="muted">Segment’s tracking plan JSON (Public API rules), or a JSON Schema per event. Pasted or uploaded; it becomes a new plan.</p>
      <textarea className="input code-input" aria-label="Plan JSON" rows={6} spellCheck={false} placeholder='{ "name": "…", "rules": [ { "type": "TRACK", "key": "Order Completed", "jsonSchema": { … } } ] }' value={text} onChange={(e) => setText(e.target.value)} />
      <div className="toolbar">
        <button type="button" className="button" disabled={busy || text.trim() === ''} onClick={() => void submit(text)}>
          Import
        </button>
        <label className="button ghost file-button">
          Upload file…
          <input
            type="file"
            accept="application/json,.json"
            aria-label="Plan file"
            onChange={async (e) => {
              const file = e.target.files?.[0]
              e.target.value = ''
              if (file) await submit(await file.text())
            }}
          />
        </label>
      </div>
      <FormError message={error} />
    </section>
  )
}
