// One sample event of a violations group: its payload with the group's field focused and every field
// the plan named marked.

import { useMemo } from 'react'
import type { ViolationGroup } from '../../../src-shared/enforcement'
import { JsonTree, type JsonHighlight } from '../../components/json-tree'
import { CopyButton } from '../../components/copy-button'
import { TypeBadge } from '../../components/type-badge'
import { ValidationBadges } from '../../components/validation-badges'
import { formatDateTime } from '../../format/time'
import { useViolations } from '../../state/violations-store'
import { kindLabel, pointerLabel, validationHighlights } from './violation-text'
import { FormError } from '../../components/form-error'

export function SamplePane({ group }: { group: ViolationGroup }) {
  const sample = useViolations((s) => s.sample)
  const record = useViolations((s) => s.sampleRecord)
  const error = useViolations((s) => s.sampleError)
  const highlights = useMemo<JsonHighlight[]>(() => {
    const fromRecord = record ? validationHighlights(record) : []
    return fromRecord.some((h) => h.pointer === group.pointer) ? fromRecord : [...fromRecord, { pointer: group.pointer, label: kindLabel(group.kind) }]
  }, [record, group])
  if (!sample) return null
  const index = group.sampleEventIds.indexOf(sample.eventId)

  return (
    <aside className="detail sample-pane" aria-label="Sample event" data-event-id={sample.eventId}>
      <header className="detail-header">
        <h2>
          {record && <TypeBadge type={record.type} />}
          <span className="detail-title">
            Sample {index + 1} of {group.sampleEventIds.length}: {kindLabel(group.kind)} at {pointerLabel(group.pointer)}
          </span>
        </h2>
        <button type="button" className="button small ghost close" onClick={() => useViolations.getState().closeSample()} aria-label="Close sample">
          Close
        </button>
      </header>
      <div className="detail-body">
        <FormError message={error} />
        {!record && !error && <p className="muted loading">Loading event…</p>}
        {record && (
          <>
            <p className="sample-facts">
              <span>{record.name ?? record.type}</span>
              <ValidationBadges violations={record.violations} quarantine={record.quarantine} />
              <span className="muted">received {formatDateTime(record.receivedAt)}</span>
              <CopyButton text={record.id} label="Copy event id" title={`Copy event id ${record.id}`} className="tiny" />
            </p>
            <p className="muted">{group.message}</p>
            <JsonTree key={record.id} value={record.payload} highlights={highlights} focused={group.pointer} label="Sample payload" />
          </>
        )}
      </div>
    </aside>
  )
}
