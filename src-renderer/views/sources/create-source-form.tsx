import { useState, type FormEvent } from 'react'
import { errorMessage } from '../../api/api-error'
import { useSources } from '../../state/sources-store'
import { writeKeyProblem } from '../../state/write-key-rules'

export function CreateSourceForm() {
  const [name, setName] = useState('')
  const [writeKey, setWriteKey] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    if (!name.trim()) return
    const problem = writeKeyProblem(writeKey.trim(), useSources.getState().sources)
    if (problem) return setError(problem)
    setBusy(true)
    setError(null)
    try {
      await useSources.getState().create({ name: name.trim(), ...(writeKey.trim() ? { writeKey: writeKey.trim() } : {}) })
      setName('')
      setWriteKey('')
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="create-source" onSubmit={(e) => void submit(e)} aria-label="Create source">
      <input className="input" name="name" aria-label="New source name" placeholder="New source name, e.g. Checkout web" value={name} onChange={(e) => (setName(e.target.value), setError(null))} maxLength={200} />
      <input className="input" name="writeKey" aria-label="Write key (optional)" placeholder="Write key (optional)" title="Leave empty for a generated key; set one to match an existing client or CI" value={writeKey} onChange={(e) => (setWriteKey(e.target.value), setError(null))} spellCheck={false} />
      <button type="submit" className="button primary" disabled={busy || !name.trim()}>
        {busy ? 'Creating…' : 'Create source'}
      </button>
      {error && <p className="form-error" role="alert">{error}</p>}
    </form>
  )
}
