// Engine status at a glance: where it listens, how fast events come in, how much is stored, and
// whether capture is paused (clients then get 503 + Retry-After and keep their events).

import { formatBytes, formatCount, formatRate } from '../format/numbers'
import { useStats } from '../state/stats-store'

export function TopBar() {
  const stats = useStats((s) => s.stats)
  const error = useStats((s) => s.error)
  const pending = useStats((s) => s.capturePending)
  const setPaused = useStats((s) => s.setCapturePaused)
  const paused = stats?.capture.paused ?? false
  const listening = stats ? stats.listening.trackingUrl.replace(/\/v1$/, '') : null

  return (
    <header className="top-bar">
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Loupe
      </div>
      <dl className="engine-status" aria-label="Engine status">
        <Stat label="Listening" value={listening ?? '…'} testId="stat-listening" />
        <Stat label="Events/s" value={stats ? formatRate(stats.events.perSecond) : '…'} testId="stat-rate" />
        <Stat label="Stored" value={stats ? formatCount(stats.events.total) : '…'} testId="stat-total" />
        <Stat label="Database" value={stats ? formatBytes(stats.db.bytes) : '…'} testId="stat-db" />
      </dl>
      <div className="top-bar-end">
        {error && (
          <span className="engine-error" role="status" title={error}>
            Engine unreachable — retrying
          </span>
        )}
        {stats && (
          <div className={`capture ${paused ? 'paused' : 'on'}`} data-testid="capture">
            <span className="capture-dot" aria-hidden="true" />
            <span className="capture-label">{paused ? 'Capture paused' : 'Capturing'}</span>
            <button
              type="button"
              className={`button small ${paused ? 'primary' : ''}`}
              disabled={pending}
              onClick={() => void setPaused(!paused)}
              title={paused ? 'Accept events again' : 'Answer clients with 503 + Retry-After; they keep their events and retry later'}
            >
              {paused ? 'Resume capture' : 'Pause capture'}
            </button>
          </div>
        )}
      </div>
    </header>
  )
}

function Stat({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="stat">
      <dt>{label}</dt>
      <dd data-testid={testId}>{value}</dd>
    </div>
  )
}
