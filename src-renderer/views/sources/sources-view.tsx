// Sources: every write key Loupe has seen or was given, with counts, and what to paste into a client.

import { useState } from 'react'
import type { Source } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { ConfirmDialog } from '../../components/confirm-dialog'
import { formatCount } from '../../format/numbers'
import { useSources } from '../../state/sources-store'
import { CreateSourceForm } from './create-source-form'
import { SourceCard } from './source-card'
import { useLive } from '../../state/use-live'

export function SourcesView() {
  const sources = useSources((s) => s.sources)
  const loaded = useSources((s) => s.loaded)
  const error = useSources((s) => s.error)
  const [deleting, setDeleting] = useState<Source | null>(null)
  const [busy, setBusy] = useState(false)
  const [deleteError, setDeleteError] = useState<string | null>(null)

  const confirmDelete = async (): Promise<void> => {
    if (!deleting) return
    setBusy(true)
    setDeleteError(null)
    try {
      await useSources.getState().remove(deleting.id)
      useLive.getState().forgetSource(deleting.id) // its events are purged: Live must not show them
      setDeleting(null)
    } catch (e) {
      setDeleteError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <section className="screen sources-screen" aria-labelledby="sources-title">
      <header className="screen-header">
        <h1 id="sources-title">Sources</h1>
        <p className="muted screen-intro">Any write key works: an unknown key creates its source on the fly (unless Loupe runs with --strict-keys).</p>
      </header>
      <div className="sources-body">
        <CreateSourceForm />
        {error && <p className="form-error" role="alert">{error}</p>}
        {loaded && sources.length === 0 && <p className="empty-state">No sources yet. Create one above, or send an event with any write key.</p>}
        <ul className="source-list" aria-label="Sources">
          {sources.map((source) => (
            <li key={source.id}>
              <SourceCard source={source} onDelete={() => (setDeleteError(null), setDeleting(source))} />
            </li>
          ))}
        </ul>
      </div>
      <ConfirmDialog
        open={deleting !== null}
        title={deleting ? `Delete “${deleting.name}”?` : 'Delete source?'}
        confirmLabel="Delete source and its events"
        busy={busy}
        error={deleteError}
        onConfirm={() => void confirmDelete()}
        onCancel={() => setDeleting(null)}
      >
        {deleting && (
          <p>
            This deletes the source and its {formatCount(deleting.eventCount)} stored {deleting.eventCount === 1 ? 'event' : 'events'}. It cannot be undone. Clients still sending
            with its write key will create it again unless Loupe runs with --strict-keys.
          </p>
        )}
      </ConfirmDialog>
    </section>
  )
}
