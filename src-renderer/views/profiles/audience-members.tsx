// The first members of an audience, each a link to its profile.

import { useEffect, useState } from 'react'
import type { ProfileSummary } from '../../../src-shared/identity'
import { errorMessage } from '../../api/api-error'
import { api } from '../../api/client'
import { FormError } from '../../components/form-error'
import { Link } from '../../components/link'
import { profilePath } from './profiles-routes'
import { profileLabel } from './profile-label'

const SHOWN = 50

export function AudienceMembers({ id }: { id: number }) {
  const [members, setMembers] = useState<ProfileSummary[] | null>(null)
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    const abort = new AbortController()
    api
      .audienceMembers(id, SHOWN, abort.signal)
      .then(setMembers)
      .catch((e: unknown) => !abort.signal.aborted && setError(errorMessage(e)))
    return () => abort.abort()
  }, [id])

  if (error) return <FormError message={error} />
  if (!members) return <p className="muted">Loading members…</p>
  if (members.length === 0) return <p className="muted">No members.</p>
  return (
    <ul className="plain-list member-list" aria-label="Members">
      {members.map((m) => (
        <li key={m.id}>
          <Link to={profilePath(m.id)}>{profileLabel(m.label, m.id)}</Link>
        </li>
      ))}
      {members.length === SHOWN && <li className="muted">first {SHOWN} shown</li>}
    </ul>
  )
}
