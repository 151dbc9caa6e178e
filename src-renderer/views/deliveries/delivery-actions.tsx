// Retry now (skip the backoff wait), retry every failed event (a replay job of them), or discard them.

import { useState } from 'react'
import type { Destination } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { useDestinations } from '../../state/destinations-store'

type Confirming = 'retry-failed' | 'discard' | null

export function DeliveryActions({ destination: d }: { destination: Destination }) {
  const [confirming, setConfirming] = useState<Confirming>(null)
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [note, setNote] = useState<string | null>(null)
  const failed = d.status.failed

  const run = async (what: () => Promise<string>): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      setNote(await what())
      setConfirming(null)
      void useDestinations.getState().load()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }
  const retryNow = (): Promise<void> =>
    run(async () => {
      await api.retryNow(d.id)
      return 'Retrying now.'
    })
  const retryFailed = (): Promise<void> =>
    run(async () => {
      const job = await api.retryFailed(d.id)
      return `Replay job #${job.id} is sending the failed events again.`
    })
  const discard = (): Promise<void> => run(async () => `Discarded ${formatCount(await api.discardFailed(d.id))} failed events.`)

  return (
    <div className="delivery-actions">
      <button type="button" className="button small" onClick={() => void retryNow()} disabled={busy || !d.enabled} title="Skip the backoff wait and try the pending events now">
        Retry now
      </button>
      <button type="button" className="button small" onClick={() => (setError(null), setConfirming('retry-failed'))} disabled={busy || failed === 0}>
        Retry all failed ({formatCount(failed)})
      </button>
      <button type="button" className="button small ghost danger-text" onClick={() => (setError(null), setConfirming('discard'))} disabled={busy || failed === 0}>
        Discard failed
      </button>
      <Link to={`/replay?destination=${d.id}`} className="button small ghost">
        Replay…
      </Link>
      {note && (
        <span className="muted" role="status">
          {note}
        </span>
      )}
      {error && !confirming && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={confirming !== null}
        title={confirming === 'discard' ? `Discard ${formatCount(failed)} failed events?` : `Retry ${formatCount(failed)} failed events?`}
        confirmLabel={confirming === 'discard' ? 'Discard failed events' : 'Retry failed events'}
        busy={busy}
        error={error}
        onConfirm={() => void (confirming === 'discard' ? discard() : retryFailed())}
        onCancel={() => setConfirming(null)}
      >
        {confirming === 'discard' ? <p>They will not be sent to {d.name}. The events themselves stay stored, and a replay can still send them.</p> : <p>A replay job sends them to {d.name} again, in order; its progress shows on the Replay screen.</p>}
      </ConfirmDialog>
    </div>
  )
}
