// Export / import of sessions from the Events toolbar. Export downloads the current selection (the screen's
// filters and time range) as NDJSON through a plain same-origin link; import uploads a file (NDJSON, gzipped
// NDJSON, a file-destination archive file) and follows the job's progress.

import { useEffect, useRef, useState, type ReactNode } from 'react'
import type { EventFilters, Source } from '../../../src-shared/api'
import type { ImportJob } from '../../../src-shared/sessions'
import { api } from '../../api/client'
import { formatCount } from '../../format/numbers'
import { FormError } from '../../components/form-error'

export function SessionsButtons({ filters, sources }: { filters: EventFilters; sources: Source[] }) {
  const [open, setOpen] = useState<'export' | 'import' | null>(null)
  return (
    <>
      <button type="button" className="button small" onClick={() => setOpen('export')}>
        Export…
      </button>
      <button type="button" className="button small" onClick={() => setOpen('import')}>
        Import…
      </button>
      {open === 'export' && <ExportDialog filters={filters} onClose={() => setOpen(null)} />}
      {open === 'import' && <ImportDialog sources={sources} onClose={() => setOpen(null)} />}
    </>
  )
}

function Dialog({ title, children, actions, onClose }: { title: string; children: ReactNode; actions: ReactNode; onClose(): void }) {
  const ref = useRef<HTMLDialogElement>(null)
  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal()
  }, [])
  return (
    <dialog
      ref={ref}
      className="confirm-dialog"
      aria-labelledby="sessions-dialog-title"
      onCancel={(event) => {
        event.preventDefault()
        onClose()
      }}
    >
      <h2 id="sessions-dialog-title">{title}</h2>
      <div className="confirm-body">{children}</div>
      <div className="dialog-actions">{actions}</div>
    </dialog>
  )
}

function ExportDialog({ filters, onClose }: { filters: EventFilters; onClose(): void }) {
  const [gzip, setGzip] = useState(true)
  const [runId, setRunId] = useState('')
  const href = api.exportUrl({ ...filters, ...(runId.trim() ? { runId: runId.trim() } : {}), ...(gzip ? { gzip: '1' } : {}) })
  const described = Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')
  return (
    <Dialog
      title="Export events"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <a className="button primary" href={href} download data-testid="export-download">
            Download NDJSON{gzip ? ' (.gz)' : ''}
          </a>
        </>
      }
    >
      <p>One Segment message per line, as destinations receive them, oldest first.</p>
      <p className="muted">{described.length === 0 ? 'Every stored event.' : `Events matching: ${described.map(([k, v]) => `${k} = ${String(v)}`).join(', ')}.`}</p>
      <label>
        Test run id (optional){' '}
        <input type="text" value={runId} onChange={(e) => setRunId(e.target.value)} placeholder="only this run's events" />
      </label>
      <label>
        <input type="checkbox" checked={gzip} onChange={(e) => setGzip(e.target.checked)} /> gzip
      </label>
    </Dialog>
  )
}

function ImportDialog({ sources, onClose }: { sources: Source[]; onClose(): void }) {
  const [file, setFile] = useState<File | null>(null)
  const [sourceId, setSourceId] = useState('')
  const [job, setJob] = useState<ImportJob | null>(null)
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)

  useEffect(() => {
    if (!job || job.status !== 'running') return
    const timer = setTimeout(() => {
      api.getImport(job.id).then(setJob, (e: unknown) => setError((e as Error).message))
    }, 300)
    return () => clearTimeout(timer)
  }, [job])

  const start = async (): Promise<void> => {
    if (!file) return
    setBusy(true)
    setError(null)
    try {
      setJob(await api.startImport(file, sourceId === '' ? null : Number(sourceId)))
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }

  return (
    <Dialog
      title="Import events"
      onClose={onClose}
      actions={
        <>
          <button type="button" className="button" onClick={onClose}>
            Close
          </button>
          <button type="button" className="button primary" disabled={!file || busy || job?.status === 'running'} onClick={() => void start()}>
            {busy ? 'Uploading…' : 'Import'}
          </button>
        </>
      }
    >
      <p>NDJSON or gzipped NDJSON (a Loupe export, a file-destination archive file, Segment's archive). Events go through the tracking API's validation; ones already stored (same messageId) are skipped.</p>
      <label>
        File <input type="file" accept=".ndjson,.jsonl,.gz,.json" onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="import-file" />
      </label>
      <label>
        Into{' '}
        <select value={sourceId} onChange={(e) => setSourceId(e.target.value)}>
          <option value="">each line's source (its write key), else "Imported"</option>
          {sources.map((s) => (
            <option key={s.id} value={s.id}>
              {s.name}
            </option>
          ))}
        </select>
      </label>
      <FormError message={error} />
      {job && <ImportProgress job={job} />}
    </Dialog>
  )
}

function ImportProgress({ job }: { job: ImportJob }) {
  return (
    <div data-testid="import-progress" role="status">
      <p>
        {job.status === 'running' ? 'Importing… ' : job.status === 'done' ? 'Done: ' : 'Failed: '}
        read {formatCount(job.read)}, stored {formatCount(job.stored)}, duplicates {formatCount(job.duplicates)}, rejected {formatCount(job.rejected)}
      </p>
      {job.error && <p className="form-error">{job.error}</p>}
      {job.rejectedLines.length > 0 && (
        <ul className="muted">
          {job.rejectedLines.slice(0, 20).map((r) => (
            <li key={`${r.file ?? ''}:${r.line}`}>
              line {r.line}: {r.code}
              {r.field ? ` (${r.field})` : ''}: {r.message}
            </li>
          ))}
          {job.rejectedLines.length > 20 && <li>… {formatCount(job.rejected - 20)} more</li>}
        </ul>
      )}
    </div>
  )
}
