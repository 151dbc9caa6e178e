// The detail pane's "Personal data" section: what detection found in this event at ingest — each field's
// class, JSON pointer, matcher and masked sample (the engine never stores the value in a finding). Field
// names come from clients: text nodes only.

import type { Finding } from '../../src-shared/privacy'
import { ClassBadge } from './pii-flag'
import { Link } from './link'

const ORDER = { red: 0, yellow: 1, green: 2 } as const

export function PiiFindingsSection({ findings }: { findings: readonly Finding[] }) {
  if (findings.length === 0) return null
  const sorted = [...findings].sort((a, b) => ORDER[a.classification] - ORDER[b.classification] || a.pointer.localeCompare(b.pointer))
  return (
    <section className="detail-section pii-section" aria-labelledby="pii-title">
      <div className="section-title-row">
        <h3 id="pii-title">{`Personal data (${findings.length})`}</h3>
        <Link to="/privacy" className="muted">
          Privacy settings
        </Link>
      </div>
      <ul className="pii-findings" aria-label="Personal data found">
        {sorted.map((f) => (
          <li key={`${f.pointer}-${f.matcher}`} className={`pii-${f.classification}`} data-pointer={f.pointer} data-class={f.classification}>
            <ClassBadge classification={f.classification} />
            <code title={f.pointer}>{f.pointer}</code>
            <span className="matcher" title={`Matcher: ${f.matcher}`}>
              {f.matcher}
            </span>
            <span className="sample" title="Masked sample (the value itself is not shown here)">
              {f.sample}
            </span>
          </li>
        ))}
      </ul>
    </section>
  )
}
