// Per-destination controls: for each class of personal data, what a destination receives — passed,
// masked, hashed (plain or salted) or dropped. Applied when delivering and replaying, never to the
// stored event. Each change is saved at once (PATCH /api/destinations/:id { privacy }).

import { useEffect, useState } from 'react'
import { CLASSIFICATIONS, DEFAULT_DESTINATION_PRIVACY, type Classification, type PrivacyAction } from '../../../src-shared/privacy'
import type { Destination } from '../../../src-shared/api'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { destinationPath } from '../destinations/destination-routes'
import { ClassBadge } from '../../components/pii-flag'
import { useDestinations } from '../../state/destinations-store'
import { useSources } from '../../state/sources-store'
import { ACTION_CHOICES } from './privacy-text'

export function ControlsPanel() {
  const destinations = useDestinations((s) => s.destinations)
  const loaded = useDestinations((s) => s.loaded)
  const error = useDestinations((s) => s.error)

  useEffect(() => void useDestinations.getState().load(), [])

  if (!loaded && error) return <p className="form-error" role="alert">{error}</p>
  if (!loaded) return <p className="muted loading">Loading destinations…</p>
  if (destinations.length === 0) {
    return (
      <p className="empty-state">
        No destinations yet. <Link to="/destinations/new">Add a destination</Link> to choose what it receives of each class of personal data.
      </p>
    )
  }
  return (
    <div className="privacy-panel">
      <p className="muted panel-intro">
        What each destination receives of fields classified red, yellow or green. The stored event keeps what the client sent; these apply when delivering and replaying.
      </p>
      <table className="data-table privacy-table controls-matrix" aria-label="Destination controls">
        <thead>
          <tr>
            <th scope="col">Destination</th>
            {CLASSIFICATIONS.map((c) => (
              <th scope="col" key={c}>
                <ClassBadge classification={c} />
              </th>
            ))}
            <th scope="col">
              <span className="visually-hidden">Saved</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {destinations.map((d) => (
            <ControlsRow key={d.id} destination={d} />
          ))}
        </tbody>
      </table>
      <dl className="action-legend">
        {ACTION_CHOICES.map((a) => (
          <div key={a.value}>
            <dt>{a.label}</dt>
            <dd>{a.hint}</dd>
          </div>
        ))}
      </dl>
    </div>
  )
}

function ControlsRow({ destination }: { destination: Destination }) {
  const sources = useSources((s) => s.sources)
  // The picked action shows at once; the engine's answer replaces it (or a refusal puts the saved one back).
  const [pending, setPending] = useState<Partial<Record<Classification, PrivacyAction>>>({})
  const busy = Object.keys(pending).length > 0
  const [state, setState] = useState<{ ok: string } | { error: string } | null>(null)
  const privacy = { ...(destination.privacy ?? DEFAULT_DESTINATION_PRIVACY), ...pending }
  const connected = destination.sourceIds.map((id) => sources.find((s) => s.id === id)?.name ?? `source ${id}`)

  const change = async (classification: Classification, action: PrivacyAction): Promise<void> => {
    setPending({ [classification]: action })
    setState(null)
    try {
      await useDestinations.getState().update(destination.id, { privacy: { [classification]: action } })
      setState({ ok: 'Saved' })
    } catch (e) {
      setState({ error: errorMessage(e) })
    } finally {
      setPending({})
    }
  }

  return (
    <tr data-destination={destination.id}>
      <th scope="row">
        <Link to={destinationPath(destination.id)}>{destination.name}</Link>
        <span className="muted destination-sources">{connected.length === 0 ? 'no sources' : connected.join(', ')}</span>
      </th>
      {CLASSIFICATIONS.map((c) => (
        <td key={c}>
          <select
            className={`input small action-select action-${privacy[c]}`}
            aria-label={`${destination.name}: ${c} data`}
            data-class={c}
            disabled={busy}
            value={privacy[c]}
            onChange={(e) => void change(c, e.target.value as PrivacyAction)}
          >
            {ACTION_CHOICES.map((a) => (
              <option key={a.value} value={a.value} title={a.hint}>
                {a.label}
              </option>
            ))}
          </select>
        </td>
      ))}
      <td className="row-status">
        {state && 'ok' in state && (
          <span role="status" className="saved">
            {state.ok}
          </span>
        )}
        {state && 'error' in state && (
          <span role="alert" className="form-error">
            {state.error}
          </span>
        )}
      </td>
    </tr>
  )
}
