// A destination's delivery state as the list card and the Deliveries screen both show it: state (with the
// next try while backing off), pending and failed events.

import type { DestinationStatus } from '../../../src-shared/api'
import { formatCount } from '../../format/numbers'
import { formatClock } from '../../format/time'
import { StateBadge } from './status-badge'

export function StatusFacts({ status }: { status: DestinationStatus }) {
  return (
    <>
      <div>
        <dt>Status</dt>
        <dd>
          <StateBadge state={status.state} />
          {status.nextAttemptAt && status.state !== 'idle' && <span className="muted"> next try at {formatClock(status.nextAttemptAt).slice(0, 8)}</span>}
        </dd>
      </div>
      <div>
        <dt>Pending</dt>
        <dd data-fact="pending">{formatCount(status.pending)}</dd>
      </div>
      <div>
        <dt>Failed</dt>
        <dd data-fact="failed" className={status.failed > 0 ? 'danger-text' : undefined}>
          {formatCount(status.failed)}
        </dd>
      </div>
    </>
  )
}
