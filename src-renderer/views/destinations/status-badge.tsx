import type { DestinationStatus, EventDeliveryStatus, AttemptOutcome } from '../../../src-shared/api'

const STATE_TEXT: Record<DestinationStatus['state'], string> = {
  idle: 'Up to date',
  sending: 'Sending',
  backoff: 'Retrying',
  paused: 'Paused (circuit open)',
  disabled: 'Disabled'
}

export function StateBadge({ state }: { state: DestinationStatus['state'] }) {
  return (
    <span className={`state-badge state-${state}`} data-state={state}>
      {STATE_TEXT[state]}
    </span>
  )
}

/** An attempt's outcome or an event's delivery status, coloured alike. */
export function OutcomeBadge({ outcome }: { outcome: AttemptOutcome | EventDeliveryStatus }) {
  return (
    <span className={`outcome-badge outcome-${outcome}`} data-outcome={outcome}>
      {outcome}
    </span>
  )
}
