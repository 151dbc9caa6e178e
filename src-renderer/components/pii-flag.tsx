// The personal-data mark of an event row and of a finding: a dot coloured by the highest class found at
// ingest. Colour is never the only signal: the class is its accessible name and its tooltip.

import type { Classification } from '../../src-shared/privacy'
import './pii-marks.css'

export const CLASS_LABELS: Record<Classification, string> = { red: 'red', yellow: 'yellow', green: 'green' }

const CLASS_HINTS: Record<Classification, string> = {
  red: 'restricted (card numbers, SSNs, passwords, tokens…)',
  yellow: 'sensitive (emails, phone numbers, addresses, IPs…)',
  green: 'fine to flow'
}

export function piiLabel(classification: Classification): string {
  return `${CLASS_LABELS[classification]} personal data`
}

export function PiiFlag({ pii }: { pii: Classification | null | undefined }) {
  if (!pii) return null
  return (
    <span className={`pii-mark pii-${pii}`} role="img" aria-label={piiLabel(pii)} title={`Personal data found: ${pii}, ${CLASS_HINTS[pii]}`}>
      <span aria-hidden="true">PII</span>
    </span>
  )
}

/** A class as a small coloured word (inventory rows, findings). */
export function ClassBadge({ classification }: { classification: Classification }) {
  return (
    <span className={`class-badge pii-${classification}`} data-class={classification} title={CLASS_HINTS[classification]}>
      {classification}
    </span>
  )
}
