// Suppressions: users whose new events are refused at ingest (403 ERR_SUPPRESSED, so clients drop them
// rather than retry). Loupe keeps only a hash of each id, so the list shows hashes and removing one asks
// for the id again.

import { useEffect, useState, type FormEvent } from 'react'
import type { Suppression, SuppressRequest } from '../../../src-shared/privacy'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import { FormError } from '../../components/form-error'
import { formatDateTime } from '../../format/time'
import { usePrivacy } from '../../state/privacy-store'
import { shortHash } from './id-hash'
import type { IdKind } from './privacy-text'

export function SuppressionsPanel() {
  const suppressions = usePrivacy((s) => s.suppressions)
  const error = usePrivacy((s) => s.errors.suppressions)

  useEffect(() => void usePrivacy.getState().loadSuppressions(), [])

  return (
    <div className="privacy-panel">
      <SuppressForm />
      <FormError message={error} />
      {!suppressions && !error && <p className="muted loading">Loading suppressions…</p>}
      {suppressions && suppressions.length === 0 && <p className="empty-state">No user is suppressed.</p>}
      {suppressions && suppressions.length > 0 && (
        <table className="data-table privacy-table" aria-label="Suppressed users">
          <thead>
            <tr>
              <th scope="col">Kind</th>
              <th scope="col">Id (keyed hash)</th>
              <th scope="col">Since</th>
              <th scope="col" />
            </tr>
          </thead>
          <tbody>
            {suppressions.map((s) => (
              <SuppressionRow key={`${s.kind}-${s.idHash}`} suppression={s} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

const request = (kind: IdKind, id: string): SuppressRequest => (kind === 'userId' ? { userId: id } : { anonymousId: id })

function SuppressForm() {
  const [kind, setKind] = useState<IdKind>('userId')
  const [id, setId] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [done, setDone] = useState<string | null>(null)

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setBusy(true)
    setError(null)
    setDone(null)
    try {
      await usePrivacy.getState().suppress(request(kind, id))
      setDone(`Suppressed: new events with this ${kind} are refused at ingest.`)
      setId('')
    } catch (e) {
      setError(e instanceof ApiError ? messageAfterField(e) : errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="form-section id-form" aria-labelledby="suppress-title" onSubmit={(e) => void submit(e)}>
      <h2 id="suppress-title">Suppress a user</h2>
      <p className="muted">
        New events from a suppressed user are refused with 403 <code>ERR_SUPPRESSED</code>; clients drop them. Events already stored stay (delete them on the Deletions tab).
      </p>
      <div className="id-form-fields">
        <select className="input" aria-label="Id kind" value={kind} onChange={(e) => setKind(e.target.value as IdKind)}>
          <option value="userId">userId</option>
          <option value="anonymousId">anonymousId</option>
        </select>
        <input className="input mono grow" aria-label={`${kind} to suppress`} placeholder={kind} value={id} onChange={(e) => setId(e.target.value)} required maxLength={1000} autoComplete="off" spellCheck={false} />
        <button type="submit" className="button primary" disabled={busy || id === ''}>
          {busy ? 'Suppressing…' : 'Suppress'}
        </button>
      </div>
      <FormError message={error} />
      {done && (
        <p role="status" className="muted">
          {done}
        </p>
      )}
    </form>
  )
}

function SuppressionRow({ suppression }: { suppression: Suppression }) {
  const [removing, setRemoving] = useState(false)
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  const remove = async (event: FormEvent): Promise<void> => {
    event.preventDefault()
    setError(null)
    setBusy(true)
    try {
      // Only a keyed hash is kept (the engine's salt): the engine says whether the typed id is this entry's.
      if (!(await usePrivacy.getState().unsuppress(request(suppression.kind, typed)))) {
        setError(`That is not the ${suppression.kind} of a suppression.`)
        setBusy(false)
      }
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }

  return (
    <tr data-hash={suppression.idHash}>
      <td>{suppression.kind}</td>
      <td>
        <code title={suppression.idHash}>{shortHash(suppression.idHash)}</code>
      </td>
      <td>{formatDateTime(suppression.createdAt)}</td>
      <td className="row-actions">
        {removing ? (
          <form className="inline-form" onSubmit={(e) => void remove(e)}>
            <input
              className="input small mono"
              aria-label={`Type the ${suppression.kind} to unsuppress`}
              placeholder={`Type the ${suppression.kind}`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoFocus
              autoComplete="off"
              spellCheck={false}
              aria-invalid={error ? true : undefined}
            />
            <button type="submit" className="button small danger" disabled={busy || typed === ''}>
              Unsuppress
            </button>
            <button type="button" className="button small ghost" onClick={() => (setRemoving(false), setTyped(''), setError(null))}>
              Cancel
            </button>
            <FormError message={error} inline />
          </form>
        ) : (
          <button type="button" className="button small" onClick={() => setRemoving(true)}>
            Remove…
          </button>
        )}
      </td>
    </tr>
  )
}
