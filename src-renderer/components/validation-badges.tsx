// Tracking-plan marks of an event row: how many violations it had at ingest and whether it is held in
// quarantine. Short on screen (rows are 34 px), named in full for screen readers and tests.

import type { QuarantineState } from '../../src-shared/enforcement'
import '../styles/validation.css'

export function violationsLabel(count: number): string {
  return count === 1 ? '1 violation' : `${count} violations`
}

export function ValidationBadges({ violations, quarantine }: { violations: number | undefined; quarantine: QuarantineState | undefined }) {
  const count = violations ?? 0
  return (
    <>
      {count > 0 && (
        <span className="violation-mark" role="img" aria-label={violationsLabel(count)} title={`${violationsLabel(count)} of the tracking plan`}>
          <span aria-hidden="true">{count}</span>
        </span>
      )}
      {quarantine === 'held' && (
        <span className="quarantine-mark" role="img" aria-label="held" title="Held in quarantine: not delivered until released">
          <span aria-hidden="true">held</span>
        </span>
      )}
    </>
  )
}
