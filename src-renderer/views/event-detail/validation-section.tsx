// What the source's tracking plan said about this event at ingest: each violation (click one to find
// its field in the payload), whether it is held in quarantine and why, with a Release for a held one,
// and which fields destinations do not receive.

import { useState } from 'react'
import type { EventRecord } from '../../../src-shared/api'
import type { ReleaseQuarantineResult } from '../../../src-shared/enforcement'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { Link } from '../../components/link'
import { planPath } from '../../state/plans-store'
import { kindLabel, pointerLabel } from '../violations/violation-text'
import { FormError } from '../../components/form-error'

export interface ValidationSectionProps {
  record: EventRecord
  focused: string | null
  onFocus(pointer: string | null): void
  /** After a release: the record has changed. */
  onReleased(): void
}

export function ValidationSection({ record, focused, onFocus, onReleased }: ValidationSectionProps) {
  const validation = record.validation
  if (!validation && record.quarantine === null) return null
  const violations = validation?.violations ?? []
  return (
    <section className="detail-section validation" aria-labelledby="validation-title">
      <div className="section-title-row">
        <h3 id="validation-title">{violations.length > 0 ? `Violations (${violations.length})` : 'Tracking plan'}</h3>
        {validation && validation.planId !== null && (
          <Link to={planPath(validation.planId)} className="muted">
            plan v{validation.planVersion}
          </Link>
        )}
      </div>
      {violations.length > 0 && (
        <ul className="validation-list" aria-label="Violations">
          {violations.map((v, i) => {
            const active = focused === v.pointer
            return (
              <li key={`${v.kind}-${v.pointer}-${i}`}>
                <button type="button" className="violation" aria-pressed={active} data-pointer={v.pointer} onClick={() => onFocus(active ? null : v.pointer)}>
                  <span className={`kind-badge kind kind-${v.kind}`}>{kindLabel(v.kind)}</span>
                  <span className="violation-facts">
                    <code>{pointerLabel(v.pointer)}</code>
                    {v.expected !== null && <span>expected {v.expected}</span>}
                    {v.actual !== null && (
                      <span>
                        got <code>{v.actual}</code>
                      </span>
                    )}
                  </span>
                  <span className="message">{v.message}</span>
                </button>
              </li>
            )
          })}
        </ul>
      )}
      <QuarantineState record={record} onReleased={onReleased} />
      {validation && validation.omitted.length > 0 && (
        <div className="omitted">
          <p className="muted">Left out of what destinations receive:</p>
          <ul className="omitted-list" aria-label="Omitted on delivery">
            {validation.omitted.map((pointer) => (
              <li key={pointer}>{pointerLabel(pointer)}</li>
            ))}
          </ul>
        </div>
      )}
    </section>
  )
}

function QuarantineState({ record, onReleased }: { record: EventRecord; onReleased(): void }) {
  const [busy, setBusy] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const [result, setResult] = useState<ReleaseQuarantineResult | null>(null)
  const blockedBecause = record.validation?.blockedBecause ?? null

  const release = async (): Promise<void> => {
    setBusy(true)
    setError(null)
    try {
      setResult(await api.releaseQuarantine(record.sourceId, { eventIds: [record.id] }))
      onReleased()
    } catch (e) {
      setError(errorMessage(e))
    } finally {
      setBusy(false)
    }
  }

  if (record.quarantine === null && !result) return null
  return (
    <div className="quarantine-state" data-quarantine={record.quarantine ?? 'none'}>
      {record.quarantine === 'held' && (
        <>
          <span className="quarantine-mark">held</span>
          <span>Held in quarantine, not delivered.</span>
          {blockedBecause && <span className="blocked-because">Blocked because: {blockedBecause}</span>}
          <button type="button" className="button small" disabled={busy} onClick={() => void release()}>
            {busy ? 'Releasing…' : 'Release'}
          </button>
        </>
      )}
      {record.quarantine === 'released' && (
        <>
          <span>Released from quarantine.</span>
          {blockedBecause && <span className="blocked-because">Blocked because: {blockedBecause}</span>}
        </>
      )}
      {result && (
        <span role="status">
          {result.replays.length === 0 ? 'Released; no destination is connected to this source.' : `Released; sending to ${result.replays.length} ${result.replays.length === 1 ? 'destination' : 'destinations'}.`}
        </span>
      )}
      <FormError message={error} inline />
    </div>
  )
}
