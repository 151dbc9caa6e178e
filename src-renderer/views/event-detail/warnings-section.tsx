import type { EventWarning } from '../../../src-shared/api'

export function WarningsSection({ warnings }: { warnings: readonly EventWarning[] }) {
  if (warnings.length === 0) return null
  return (
    <section className="detail-section warnings" aria-labelledby="warnings-title">
      <h3 id="warnings-title">Warnings</h3>
      <ul>
        {warnings.map((w, i) => (
          <li key={`${w.code}-${i}`}>
            <span className="warning-text">{w.message}</span> <code className="muted">{w.code}</code>
          </li>
        ))}
      </ul>
    </section>
  )
}
