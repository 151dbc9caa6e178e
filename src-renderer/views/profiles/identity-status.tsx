// One line on how identity resolution is doing: profiles, merges, refused merges, the events not yet
// added to profiles, and whether a rebuild from history is running. Polled while shown.

import { useEffect } from 'react'
import { formatCount } from '../../format/numbers'
import { backlogOf, useIdentity } from '../../state/identity-store'

const POLL_MS = 3000

export function IdentityStatusLine() {
  const status = useIdentity((s) => s.status)

  useEffect(() => {
    void useIdentity.getState().loadStatus()
    const timer = setInterval(() => void useIdentity.getState().loadStatus(), POLL_MS)
    return () => clearInterval(timer)
  }, [])

  if (!status) return null
  const backlog = backlogOf(status)
  return (
    <p className="identity-status muted" data-testid="identity-status" aria-live="polite">
      {!status.enabled && <span className="state-badge state-off">resolution off</span>}
      <span>
        <strong>{formatCount(status.profiles)}</strong> {status.profiles === 1 ? 'profile' : 'profiles'}
      </span>
      <span>
        <strong>{formatCount(status.identities)}</strong> {status.identities === 1 ? 'identifier' : 'identifiers'}
      </span>
      <span>
        <strong>{formatCount(status.merges)}</strong> {status.merges === 1 ? 'merge' : 'merges'}
      </span>
      <span className={status.refusedMerges > 0 ? 'refused-count' : undefined}>
        <strong>{formatCount(status.refusedMerges)}</strong> refused
      </span>
      <span data-testid="identity-backlog">{backlog > 0 ? `${formatCount(backlog)} events waiting` : 'up to date'}</span>
      {status.rebuilding && <span className="state-badge state-computing">rebuilding…</span>}
    </p>
  )
}
