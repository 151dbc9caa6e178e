// Per source: hold events carrying red data in quarantine at ingest (not lost: released like events a
// tracking plan blocked), or let them through and rely on the destination controls.

import { useEffect, useState } from 'react'
import type { Source } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { FormError } from '../../components/form-error'
import { eventsUrlSearch } from '../../state/events-url'
import { Link } from '../../components/link'
import { usePrivacy } from '../../state/privacy-store'
import { useSources } from '../../state/sources-store'

export function SourceSettingsPanel() {
  const sources = useSources((s) => s.sources)
  const loaded = useSources((s) => s.loaded)
  const error = usePrivacy((s) => s.errors.sources)
  const ids = sources.map((s) => s.id).join(',')

  useEffect(() => {
    if (ids !== '') void usePrivacy.getState().loadSourcePrivacy(ids.split(',').map(Number))
  }, [ids])

  if (!loaded) return <p className="muted loading">Loading sources…</p>
  if (sources.length === 0) return <p className="empty-state">No sources yet.</p>
  return (
    <div className="privacy-panel">
      <p className="muted panel-intro">
        A blocked event is stored and held in quarantine, not delivered, until someone releases it (from the source’s Quarantine panel or the event detail).
      </p>
      <FormError message={error} />
      <table className="data-table privacy-table" aria-label="Source settings">
        <thead>
          <tr>
            <th scope="col">Source</th>
            <th scope="col">Events with red data</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {sources.map((s) => (
            <SourceRow key={s.id} source={s} />
          ))}
        </tbody>
      </table>
    </div>
  )
}

function SourceRow({ source }: { source: Source }) {
  const privacy = usePrivacy((s) => s.sourcePrivacy[source.id])
  // The box follows the click at once; the engine's answer replaces it (or a refusal puts it back).
  const [pending, setPending] = useState<boolean | null>(null)
  const [state, setState] = useState<{ ok: string } | { error: string } | null>(null)

  const toggle = async (blockRed: boolean): Promise<void> => {
    setPending(blockRed)
    setState(null)
    try {
      await usePrivacy.getState().setBlockRed(source.id, blockRed)
      setState({ ok: blockRed ? 'Saved: red data is held' : 'Saved: red data is let through' })
    } catch (e) {
      setState({ error: errorMessage(e) })
    } finally {
      setPending(null)
    }
  }

  return (
    <tr data-source={source.id}>
      <th scope="row">{source.name}</th>
      <td>
        <label className="checkbox-label">
          <input type="checkbox" checked={pending ?? privacy?.blockRed ?? false} disabled={pending !== null || !privacy} onChange={(e) => void toggle(e.target.checked)} aria-label={`Block red data from ${source.name}`} />
          Hold in quarantine
        </label>
      </td>
      <td className="row-status">
        <div className="row-status-inner">
          {privacy?.blockRed && <Link to={`/events${eventsUrlSearch({ filters: { source: source.id, quarantined: true }, time: { kind: 'all' } })}`}>Held events</Link>}
          {state && 'ok' in state && (
            <span role="status" className="saved">
              {state.ok}
            </span>
          )}
          {state && 'error' in state && <FormError message={state.error} inline />}
        </div>
      </td>
    </tr>
  )
}
