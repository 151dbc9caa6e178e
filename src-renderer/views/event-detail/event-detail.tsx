// The detail pane of Live and Events: the full stored record of the selected event.

import { useEffect, useMemo, useState } from 'react'
import type { EventRecord } from '../../../src-shared/api'
import { JsonTree } from '../../components/json-tree'
import { PiiFindingsSection } from '../../components/pii-findings'
import { findingHighlights, maskPayload, maskedPointers } from '../../components/pii-mask'
import { TypeBadge } from '../../components/type-badge'
import { useDetail } from '../../state/detail-store'
import { useEvents } from '../../state/use-events'
import { useLive } from '../../state/use-live'
import { ContextSection } from './context-section'
import { CopyAsSection } from './copy-as-section'
import { DeliveriesSection } from './deliveries-section'
import { IdentitySection } from './identity-section'
import { TimestampsSection } from './timestamps-section'
import { ValidationSection } from './validation-section'
import { WarningsSection } from './warnings-section'
import { validationHighlights } from '../violations/violation-text'

export function EventDetail() {
  const selectedId = useDetail((s) => s.selectedId)
  const record = useDetail((s) => s.record)
  const error = useDetail((s) => s.error)
  const close = useDetail((s) => s.close)
  if (selectedId === null) return null

  return (
    <aside className="detail" aria-label="Event detail" data-event-id={selectedId}>
      <header className="detail-header">
        {record ? (
          <h2>
            <TypeBadge type={record.type} />
            <span className="detail-title">{record.name ?? record.type}</span>
          </h2>
        ) : (
          <h2 className="muted">Event {selectedId}</h2>
        )}
        <span className="key-hint" aria-hidden="true">
          <kbd>↑</kbd>
          <kbd>↓</kbd> move · <kbd>Esc</kbd> close
        </span>
        <button type="button" className="button small ghost close" onClick={close} aria-label="Close detail">
          Close
        </button>
      </header>
      <div className="detail-body">
        {error && <p className="form-error" role="alert">{error}</p>}
        {!record && !error && <p className="muted loading">Loading event…</p>}
        {record && <DetailContent record={record} />}
      </div>
    </aside>
  )
}

/** A release changes the event: the detail fetches it again, and the lists' rows lose their "held". */
function released(id: string): void {
  useDetail.getState().reload()
  useLive.getState().patchEvent(id, { quarantine: 'released' })
  useEvents.getState().patchEvent(id, { quarantine: 'released' })
}

function DetailContent({ record }: { record: EventRecord }) {
  const [focused, setFocused] = useState<string | null>(null)
  // Personal data stays hidden until asked for, again for each event opened.
  const [revealed, setRevealed] = useState(false)
  useEffect(() => {
    setFocused(null)
    setRevealed(false)
  }, [record.id])
  const findings = record.findings ?? []
  const masked = useMemo(() => (revealed ? null : maskedPointers(findings)), [findings, revealed])
  return (
    <>
      <CopyAsSection record={record} masked={masked} />
      <WarningsSection warnings={record.warnings} />
      <ValidationSection record={record} focused={focused} onFocus={setFocused} onReleased={() => released(record.id)} />
      <PiiFindingsSection findings={findings} />
      <IdentitySection record={record} />
      <DeliveriesSection eventId={record.id} />
      <TimestampsSection record={record} />
      <ContextSection payload={record.payload} masked={masked} />
      <PayloadSection record={record} focused={focused} masked={masked} revealed={revealed} onReveal={setRevealed} />
    </>
  )
}

interface PayloadSectionProps {
  record: EventRecord
  focused: string | null
  /** Fields hidden now (null: revealed). */
  masked: ReadonlyMap<string, string> | null
  revealed: boolean
  onReveal(revealed: boolean): void
}

function PayloadSection({ record, focused, masked, revealed, onReveal }: PayloadSectionProps) {
  const [raw, setRaw] = useState(false)
  const highlights = useMemo(() => [...validationHighlights(record), ...findingHighlights(record.findings ?? [])], [record])
  const hideable = (record.findings ?? []).some((f) => f.classification !== 'green')
  const shown = useMemo(() => (masked ? maskPayload(record.payload, masked) : record.payload), [record.payload, masked])
  // Picking a violation means "show me the field": only the tree can.
  useEffect(() => {
    if (focused !== null) setRaw(false)
  }, [focused])
  return (
    <section className="detail-section payload" aria-labelledby="payload-title">
      <div className="section-title-row">
        <h3 id="payload-title">Payload</h3>
        {hideable && (
          <button type="button" className="button small ghost pii-reveal" aria-pressed={revealed} onClick={() => onReveal(!revealed)} title="Red and yellow personal data is hidden until revealed">
            {revealed ? 'Hide personal data' : 'Reveal personal data'}
          </button>
        )}
        <div className="segmented" role="group" aria-label="Payload view">
          <button type="button" className={raw ? '' : 'active'} aria-pressed={!raw} onClick={() => setRaw(false)}>
            Tree
          </button>
          <button type="button" className={raw ? 'active' : ''} aria-pressed={raw} onClick={() => setRaw(true)}>
            Raw JSON
          </button>
        </div>
      </div>
      {raw ? <pre className="raw-json" tabIndex={0}>{JSON.stringify(shown, null, 2)}</pre> : <JsonTree key={record.id} value={record.payload} highlights={highlights} focused={focused} masked={masked} />}
    </section>
  )
}
