// One run: its facts, End run / Clear events, its events (newest first), and the Expectations panel.

import { useState } from 'react'
import type { TestRun } from '../../../src-shared/qa'
import { errorMessage } from '../../api/api-error'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { CopyButton } from '../../components/copy-button'
import { formatCount } from '../../format/numbers'
import { useRuns } from '../../state/runs-store'
import { ExpectationsPanel } from './expectations-panel'
import { RunEvents } from './run-events'
import { FormError } from '../../components/form-error'

export function RunDetail({ run }: { run: TestRun }) {
  const [error, setError] = useState<string | null>(null)
  const [confirming, setConfirming] = useState(false)
  const [busy, setBusy] = useState(false)
  const [note, setNote] = useState<string | null>(null)

  const end = (): void => {
    setError(null)
    useRuns
      .getState()
      .end(run.id)
      .catch((e: unknown) => setError(errorMessage(e)))
  }
  const clear = async (): Promise<void> => {
    setBusy(true)
    try {
      const deleted = await useRuns.getState().clear(run.id)
      setNote(`Deleted ${formatCount(deleted)} event${deleted === 1 ? '' : 's'}.`)
      setConfirming(false)
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="run-detail" aria-labelledby="run-detail-title">
      <div className="run-detail-head">
        <h2 id="run-detail-title">{run.name || '(unnamed run)'}</h2>
        <div className="button-row">
          {!run.endedAt && (
            <button type="button" className="button small" onClick={end}>
              End run
            </button>
          )}
          <button type="button" className="button small ghost danger-text" onClick={() => setConfirming(true)} disabled={run.events === 0}>
            Clear events
          </button>
        </div>
      </div>
      <dl className="run-facts">
        <dt>Run id</dt>
        <dd>
          <span className="mono">{run.id}</span> <CopyButton text={run.id} title="Copy the run id" />
        </dd>
        <dt>Write key</dt>
        <dd>
          <span className="mono">{run.writeKey}</span> <CopyButton text={run.writeKey} title="Copy the run's write key" />
        </dd>
        <dt>Source</dt>
        <dd>#{run.sourceId}{run.windowSourceIds.length > 0 ? ` · capture window over ${run.windowSourceIds.map((id) => `#${id}`).join(', ')}` : ''}</dd>
        <dt>Status</dt>
        <dd>{run.endedAt ? 'ended (a late flush with its write key still lands here)' : 'open'}</dd>
      </dl>
      <FormError message={error} />
      {note && (
        <p className="muted" role="status">
          {note}
        </p>
      )}
      <ExpectationsPanel runId={run.id} />
      <RunEvents runId={run.id} />
      <ConfirmDialog
        open={confirming}
        title="Clear this run's events?"
        confirmLabel="Clear events"
        busy={busy}
        error={null}
        onConfirm={() => void clear()}
        onCancel={() => setConfirming(false)}
      >
        <p>
          Deletes the {formatCount(run.events)} events of “{run.name || run.id}”. Other runs and sources keep theirs.
        </p>
      </ConfirmDialog>
    </section>
  )
}
