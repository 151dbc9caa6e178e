import { useState, type FormEvent } from 'react'
import type { CreateReplayRequest, ReplayDryRun } from '../../../src-shared/api'
import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'
import { CodeBlock } from '../../components/code-block'
import { formatCount } from '../../format/numbers'
import { fromLocalInputValue } from '../../format/time'
import { useDestinations } from '../../state/destinations-store'
import { useReplays } from '../../state/replay-store'
import { useRouter } from '../../state/router-store'
import { prettySample } from '../deliveries/pretty-sample'
import { SourcesPicker } from '../destinations/sources-picker'
import { FormError } from '../../components/form-error'

const DRY_RUN_LIMIT = 10

export function ReplayForm() {
  const destinations = useDestinations((s) => s.destinations)
  const search = useRouter((s) => s.search)
  const [destinationId, setDestinationId] = useState(() => new URLSearchParams(search).get('destination') ?? '')
  const [sourceIds, setSourceIds] = useState<number[] | null>(null)
  const [from, setFrom] = useState('')
  const [to, setTo] = useState('')
  const [where, setWhere] = useState('')
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [dryRun, setDryRun] = useState<ReplayDryRun | null>(null)
  const destination = destinations.find((d) => String(d.id) === destinationId)
  // Until chosen, the sources are the destination's own.
  const chosenSources = sourceIds ?? destination?.sourceIds ?? []

  const body = (): CreateReplayRequest | null => {
    if (!destination) return setError('Choose a destination.'), null
    if (chosenSources.length === 0) return setError('Choose at least one source.'), null
    return {
      destinationId: destination.id,
      sourceIds: chosenSources,
      ...(fromLocalInputValue(from) ? { from: fromLocalInputValue(from) } : {}),
      ...(fromLocalInputValue(to) ? { to: fromLocalInputValue(to) } : {}),
      ...(where.trim() ? { where: where.trim() } : {})
    }
  }
  const submit = async (kind: 'dry' | 'start', event?: FormEvent): Promise<void> => {
    event?.preventDefault()
    setError(null)
    const request = body()
    if (!request) return
    setBusy(true)
    try {
      if (kind === 'dry') setDryRun(await useReplays.getState().dryRun({ ...request, dryRunLimit: DRY_RUN_LIMIT }))
      else {
        await useReplays.getState().start(request)
        setDryRun(null)
      }
    } catch (e) {
      setError(e instanceof ApiError && e.field ? `${e.field}: ${messageAfterField(e)}` : errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  return (
    <form className="replay-form form-section" aria-label="New replay" onSubmit={(e) => void submit('start', e)}>
      <div className="inline-fields">
        <label className="form-label-block">
          <span className="form-label">Destination</span>
          <select className="input" value={destinationId} onChange={(e) => (setDestinationId(e.target.value), setSourceIds(null), setDryRun(null))}>
            <option value="">Choose…</option>
            {destinations.map((d) => (
              <option key={d.id} value={String(d.id)}>
                {d.name}
              </option>
            ))}
          </select>
        </label>
        <label className="form-label-block">
          <span className="form-label">From</span>
          <input type="datetime-local" className="input" value={from} onChange={(e) => setFrom(e.target.value)} />
        </label>
        <label className="form-label-block">
          <span className="form-label">To</span>
          <input type="datetime-local" className="input" value={to} onChange={(e) => setTo(e.target.value)} />
        </label>
      </div>
      <span className="form-label">Sources</span>
      <SourcesPicker value={chosenSources} onChange={setSourceIds} hint="" />
      <label className="form-label-block">
        <span className="form-label">Where (FQL, optional)</span>
        <input className="input mono" value={where} placeholder='type = "track" and event = "Order Completed"' spellCheck={false} onChange={(e) => setWhere(e.target.value)} />
      </label>
      <FormError message={error} />
      <div className="button-row">
        <button type="button" className="button" disabled={busy} onClick={() => void submit('dry')}>
          Dry run
        </button>
        <button type="submit" className="button primary" disabled={busy}>
          Start replay
        </button>
      </div>
      {dryRun && <DryRunResult result={dryRun} />}
    </form>
  )
}

function DryRunResult({ result }: { result: ReplayDryRun }) {
  return (
    <div className="dry-run" aria-label="Dry run">
      <p role="status">
        {formatCount(result.matched)} {result.matched === 1 ? 'event matches' : 'events match'}. The first {result.requests.length} {result.requests.length === 1 ? 'request' : 'requests'} would be:
      </p>
      {result.requests.map((r, i) => (
        <div key={i}>
          {r.filteredReason ? (
            <p className="muted">
              Events {r.events.join(', ')} would not be sent: {r.filteredReason}
            </p>
          ) : (
            <CodeBlock code={prettySample(r.request, '(empty)')} label={`Request ${i + 1} — events ${r.events.join(', ')}`} copyTitle={`Copy request ${i + 1}`} />
          )}
        </div>
      ))}
    </div>
  )
}
