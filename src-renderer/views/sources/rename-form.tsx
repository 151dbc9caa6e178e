import { useState, type FormEvent } from 'react'
import type { Source } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { useSources } from '../../state/sources-store'

export function RenameForm({ source, onDone }: { source: Source; onDone(): void }) {
  const [name, setName] = useState(source.name)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    const next = name.trim()
    if (!next || next === source.name) return onDone()
    setBusy(true)
    try {
      await useSources.getState().rename(source.id, next)
      onDone()
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <form className="rename-form" onSubmit={(e) => void submit(e)} aria-label={`Rename ${source.name}`}>
      <input
        className="input"
        name="name"
        aria-label="Source name"
        value={name}
        maxLength={200}
        autoFocus
        onChange={(e) => setName(e.target.value)}
        onKeyDown={(e) => e.key === 'Escape' && onDone()}
      />
      <button type="submit" className="button small primary" disabled={busy}>
        Save
      </button>
      <button type="button" className="button small ghost" onClick={onDone}>
        Cancel
      </button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  )
}
