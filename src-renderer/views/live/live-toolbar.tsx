// Stream state and controls: connection, pause/resume with the count of what waits, and the engine's
// own `dropped` count (it bounds the stream to 500 events per 100 ms; everything is still stored).

import { formatCount } from '../../format/numbers'
import { LIVE_CAP } from '../../state/live-list'
import { useLive } from '../../state/use-live'

const STATUS_TEXT = { idle: 'Not connected', connecting: 'Connecting…', open: 'Streaming', reconnecting: 'Reconnecting…' } as const

export function LiveToolbar() {
  const status = useLive((s) => s.status)
  const paused = useLive((s) => s.paused)
  const newCount = useLive((s) => s.newCount)
  const dropped = useLive((s) => s.dropped)
  const shown = useLive((s) => s.events.length)
  const { pause, resume, clear } = useLive.getState()

  return (
    <div className="toolbar live-toolbar">
      <span className={`stream-status ${status}`} data-testid="live-status" data-status={status}>
        <span className="dot" aria-hidden="true" />
        {paused ? (paused === 'scroll' ? 'Paused while you scroll' : 'Paused') : STATUS_TEXT[status]}
      </span>
      <span className="muted" data-testid="live-count">
        {formatCount(shown)} {shown === 1 ? 'event' : 'events'}
        {shown >= LIVE_CAP ? ` (newest ${formatCount(LIVE_CAP)} kept)` : ''}
      </span>
      {dropped > 0 && (
        <span className="dropped" data-testid="live-dropped" title="The engine streams at most 500 events per 100 ms to the UI. All of them are stored: search them on the Events screen.">
          {formatCount(dropped)} not streamed (burst)
        </span>
      )}
      <span className="toolbar-spacer" />
      {paused ? (
        <button type="button" className="button small primary" onClick={resume} data-testid="live-resume">
          {newCount > 0 ? `Resume · ${formatCount(newCount)} new` : 'Resume'}
        </button>
      ) : (
        <button type="button" className="button small" onClick={() => pause('user')}>
          Pause
        </button>
      )}
      <button type="button" className="button small ghost" onClick={clear} disabled={shown === 0}>
        Clear
      </button>
    </div>
  )
}
