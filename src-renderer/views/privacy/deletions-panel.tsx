// Deletions: remove a user's stored events and everything derived from them (findings, violations,
// delivery samples, quarantine, archive lines, warehouse rows). It cannot be undone, so the request asks
// for the id to be typed again. The audit list keeps no personal data: the id only as a hash, and counts.

import { useEffect, useRef, useState, type FormEvent } from 'react'
import type { Deletion } from '../../../src-shared/privacy'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import { FormError } from '../../components/form-error'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { usePrivacy } from '../../state/privacy-store'
import { shortHash } from './id-hash'
import type { IdKind } from './privacy-text'

const POLL_MS = 1000

export function DeletionsPanel() {
  const deletions = usePrivacy((s) => s.deletions)
  const error = usePrivacy((s) => s.errors.deletions)
  const running = deletions?.some((d) => d.state === 'running') ?? false

  useEffect(() => void usePrivacy.getState().loadDeletions(), [])
  // A deletion runs in the background: follow it until it is done or failed.
  useEffect(() => {
    if (!running) return
    const timer = setInterval(() => void usePrivacy.getState().loadDeletions(), POLL_MS)
    return () => clearInterval(timer)
  }, [running])

  return (
    <div className="privacy-panel">
      <DeletionForm />
      <FormError message={error} />
      {!deletions && !error && <p className="muted loading">Loading deletions…</p>}
      {deletions && deletions.length === 0 && <p className="empty-state">No deletion yet.</p>}
      {deletions && deletions.length > 0 && <DeletionsTable deletions={deletions} />}
    </div>
  )
}

function DeletionsTable({ deletions }: { deletions: readonly Deletion[] }) {
  return (
    <table className="data-table privacy-table" aria-label="Deletions">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">Kind</th>
          <th scope="col">Id (keyed hash)</th>
          <th scope="col">State</th>
          <th scope="col">Requested</th>
          <th scope="col">Finished</th>
          <th scope="col" className="num">
            Events
          </th>
          <th scope="col" className="num">
            Delivery samples
          </th>
          <th scope="col" className="num">
            Archive lines
          </th>
          <th scope="col" className="num">
            Warehouse rows
          </th>
        </tr>
      </thead>
      <tbody>
        {deletions.map((d) => (
          <tr key={d.id} data-deletion={d.id} data-state={d.state}>
            <td className="num">{d.id}</td>
            <td>{d.kind}</td>
            <td>
              <code title={d.idHash}>{shortHash(d.idHash)}</code>
            </td>
            <td>
              <span className={`state-badge state-${d.state}`}>{d.state}</span>
              {d.error && <span className="form-error deletion-error">{d.error}</span>}
            </td>
            <td>{formatDateTime(d.requestedAt)}</td>
            <td>{d.finishedAt ? formatDateTime(d.finishedAt) : <span className="muted">—</span>}</td>
            <td className="num">{formatCount(d.events)}</td>
            <td className="num">{formatCount(d.deliverySamples)}</td>
            <td className="num">{formatCount(d.archiveLines)}</td>
            <td className="num">{formatCount(d.warehouseRows)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  )
}

function DeletionForm() {
  const [kind, setKind] = useState<IdKind>('userId')
  const [id, setId] = useState('')
  const [confirming, setConfirming] = useState(false)
  const [done, setDone] = useState<string | null>(null)

  const ask = (event: FormEvent): void => {
    event.preventDefault()
    setDone(null)
    setConfirming(true)
  }

  return (
    <>
      <form className="form-section id-form" aria-labelledby="delete-title" onSubmit={ask}>
        <h2 id="delete-title">Delete a user’s data</h2>
        <p className="muted">
          Removes every stored event of the user and everything derived from them: findings, violations, delivery samples, quarantine, archive lines, and their rows in connected warehouses. To also refuse their
          future events, suppress them.
        </p>
        <div className="id-form-fields">
          <select className="input" aria-label="Id kind" value={kind} onChange={(e) => setKind(e.target.value as IdKind)}>
            <option value="userId">userId</option>
            <option value="anonymousId">anonymousId</option>
          </select>
          <input className="input mono grow" aria-label={`${kind} to delete`} placeholder={kind} value={id} onChange={(e) => setId(e.target.value)} required maxLength={1000} autoComplete="off" spellCheck={false} />
          <button type="submit" className="button danger" disabled={id === ''}>
            Delete data…
          </button>
        </div>
        {done && (
          <p role="status" className="muted">
            {done}
          </p>
        )}
      </form>
      <ConfirmDeletionDialog
        open={confirming}
        kind={kind}
        id={id}
        onCancel={() => setConfirming(false)}
        onRequested={(deletion) => {
          setConfirming(false)
          setId('')
          setDone(`Deletion #${deletion.id} requested: its progress is in the list below.`)
        }}
      />
    </>
  )
}

interface ConfirmDeletionDialogProps {
  open: boolean
  kind: IdKind
  id: string
  onCancel(): void
  onRequested(deletion: Deletion): void
}

/** The native <dialog> (focus trap, Esc) asking for the id typed again before anything is deleted. */
function ConfirmDeletionDialog({ open, kind, id, onCancel, onRequested }: ConfirmDeletionDialogProps) {
  const ref = useRef<HTMLDialogElement>(null)
  const [typed, setTyped] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const dialog = ref.current
    if (!dialog) return
    if (open && !dialog.open) {
      setTyped('')
      setError(null)
      dialog.showModal()
    }
    if (!open && dialog.open) dialog.close()
  }, [open])

  const confirm = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      onRequested(await usePrivacy.getState().requestDeletion(kind === 'userId' ? { userId: id } : { anonymousId: id }))
    } catch (e) {
      setError(e instanceof ApiError ? messageAfterField(e) : errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  const matches = typed === id && id !== ''
  return (
    <dialog
      ref={ref}
      className="confirm-dialog deletion-dialog"
      aria-labelledby="deletion-dialog-title"
      onCancel={(event) => {
        event.preventDefault()
        onCancel()
      }}
    >
      <h2 id="deletion-dialog-title">Delete this user’s data?</h2>
      <div className="confirm-body">
        <p>
          Every stored event with the {kind} <code className="typed-id">{id}</code> and everything derived from them will be deleted. This cannot be undone.
        </p>
        <label className="form-row">
          <span className="form-label">Type the {kind} again to confirm</span>
          <input className="input mono" aria-label={`Type the ${kind} to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} autoComplete="off" spellCheck={false} autoFocus />
        </label>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button danger" onClick={() => void confirm()} disabled={busy || !matches}>
          {busy ? 'Deleting…' : 'Delete permanently'}
        </button>
      </div>
    </dialog>
  )
}
