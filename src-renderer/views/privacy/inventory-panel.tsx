// The PII inventory: every field where detection found personal data — its matcher, class, source, the
// destinations connected to that source with what they receive, counts and first/last seen — and the
// inbox, the same table limited to fields nobody has triaged yet, with Confirm and Reclassify.
// Field paths and matcher names come from clients and users: text only.

import { useEffect, useState } from 'react'
import { CLASSIFICATIONS, type Classification, type PiiField } from '../../../src-shared/privacy'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { FormError } from '../../components/form-error'
import { ClassBadge } from '../../components/pii-flag'
import { formatCount } from '../../format/numbers'
import { formatDateTime, formatRelative } from '../../format/time'
import { useDestinations } from '../../state/destinations-store'
import { fieldKey, usePrivacy } from '../../state/privacy-store'
import { useSources } from '../../state/sources-store'
import { actionWord } from './privacy-text'
import { SourceOptions } from '../../components/source-options'

export interface InventoryPanelProps {
  source: number | undefined
  onSource(source: number | undefined): void
  /** Only the fields waiting to be triaged, with the triage actions. */
  inbox: boolean
}

export function InventoryPanel({ source, onSource, inbox }: InventoryPanelProps) {
  const inventory = usePrivacy((s) => s.inventory)
  const error = usePrivacy((s) => s.errors.inventory)
  const matchers = usePrivacy((s) => s.matchers)
  const sources = useSources((s) => s.sources)
  const destinations = useDestinations((s) => s.destinations)

  useEffect(() => void useDestinations.getState().load(), [])

  const fields = inventory ? inventory.fields.filter((f) => !inbox || !f.triaged) : []
  const matcherName = (id: string): string => matchers?.find((m) => m.id === id)?.name ?? id
  const sourceName = (id: number): string => sources.find((s) => s.id === id)?.name ?? `source ${id}`
  const destinationName = (id: number): string => destinations.find((d) => d.id === id)?.name ?? `destination ${id}`

  return (
    <div className="privacy-panel">
      <div className="panel-toolbar">
        <select className="input" aria-label="Source" value={source === undefined ? '' : String(source)} onChange={(e) => onSource(e.target.value === '' ? undefined : Number(e.target.value))}>
          <SourceOptions sources={sources} />
        </select>
        {inventory && (
          <span className="muted" data-testid="inventory-count">
            {inbox ? `${formatCount(fields.length)} ${fields.length === 1 ? 'field' : 'fields'} to triage` : `${formatCount(fields.length)} ${fields.length === 1 ? 'field' : 'fields'} with personal data`}
          </span>
        )}
        <span className="toolbar-spacer" />
        {!inbox && (
          <a className="button small" href={api.piiInventoryCsvUrl(source)} download>
            Export CSV
          </a>
        )}
      </div>
      <FormError message={error} />
      {!inventory && !error && <p className="muted loading">Loading the inventory…</p>}
      {inventory && fields.length === 0 && (
        <p className="empty-state">
          {inbox ? 'Nothing to triage: every field with personal data has been confirmed or reclassified.' : 'No personal data found yet. Detection runs on every event at ingest, over properties, traits and context.'}
        </p>
      )}
      {fields.length > 0 && (
        <table className="data-table privacy-table" aria-label={inbox ? 'Fields to triage' : 'Fields with personal data'}>
          <thead>
            <tr>
              <th scope="col">Field</th>
              <th scope="col">Class</th>
              <th scope="col">Matcher</th>
              <th scope="col">Source</th>
              <th scope="col">Destinations receive</th>
              <th scope="col" className="num">
                Events
              </th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
              <th scope="col">{inbox ? 'Triage' : 'Status'}</th>
            </tr>
          </thead>
          <tbody>
            {fields.map((f) => (
              <tr key={fieldKey(f)} data-path={f.path} data-matcher={f.matcher} data-source={f.sourceId} data-class={f.classification}>
                <td>
                  <code className="field-path">{f.path}</code>
                </td>
                <td>
                  <ClassBadge classification={f.classification} />
                </td>
                <td title={f.matcher}>{matcherName(f.matcher)}</td>
                <td>{sourceName(f.sourceId)}</td>
                <td className="receivers">
                  {f.destinations.length === 0 ? (
                    <span className="muted">none connected</span>
                  ) : (
                    <ul className="plain-list">
                      {f.destinations.map((d) => (
                        <li key={d.destinationId} data-destination={d.destinationId} data-action={d.action}>
                          {destinationName(d.destinationId)}: <span className={`action action-${d.action}`}>{actionWord(d.action)}</span>
                        </li>
                      ))}
                    </ul>
                  )}
                </td>
                <td className="num">{formatCount(f.count)}</td>
                <td title={formatDateTime(f.firstSeen)}>{formatRelative(f.firstSeen)}</td>
                <td title={formatDateTime(f.lastSeen)}>{formatRelative(f.lastSeen)}</td>
                <td>{inbox ? <TriageActions field={f} /> : f.triaged ? <span className="muted">triaged</span> : <span className="new-mark">new</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  )
}

function TriageActions({ field }: { field: PiiField }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const triage = async (classification?: Classification): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      await usePrivacy.getState().triage(field, classification)
    } catch (e) {
      setError(errorMessage(e))
      setBusy(false)
    }
  }
  return (
    <div className="triage-actions">
      <button type="button" className="button small" disabled={busy} onClick={() => void triage()} aria-label={`Confirm ${field.path} as ${field.classification}`}>
        Confirm
      </button>
      <select className="input small" aria-label={`Reclassify ${field.path}`} disabled={busy} value="" onChange={(e) => void triage(e.target.value as Classification)}>
        <option value="" disabled>
          Reclassify…
        </option>
        {CLASSIFICATIONS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
      </select>
      <FormError message={error} inline />
    </div>
  )
}
