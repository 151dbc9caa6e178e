// Profile search: any identifier or trait value by prefix (an email, a user id, an anonymous id) or `#12`;
// with no text, the profiles seen most recently, a page at a time.

import { useEffect } from 'react'
import { DebouncedInput } from '../../components/debounced-input'
import { FormError } from '../../components/form-error'
import { Link } from '../../components/link'
import { formatCount } from '../../format/numbers'
import { formatDateTime, formatRelative } from '../../format/time'
import { useIdentity } from '../../state/identity-store'
import { profilePath } from './profiles-routes'
import { profileLabel } from './profile-label'

export function ProfileList() {
  const q = useIdentity((s) => s.q)
  const profiles = useIdentity((s) => s.profiles)
  const next = useIdentity((s) => s.next)
  const loading = useIdentity((s) => s.loading)
  const loaded = useIdentity((s) => s.loaded)
  const error = useIdentity((s) => s.error)

  useEffect(() => void useIdentity.getState().search(useIdentity.getState().q), [])

  return (
    <div className="profiles-panel">
      <div className="panel-toolbar">
        <DebouncedInput
          name="q"
          label="Search profiles"
          placeholder="Email, user id, anonymous id, trait value or #id"
          className="profile-search"
          value={q}
          onChange={(text) => void useIdentity.getState().search(text)}
        />
        <span className="muted" data-testid="profiles-count">
          {loaded ? `${formatCount(profiles.length)}${next ? '+' : ''} ${profiles.length === 1 ? 'profile' : 'profiles'}` : 'Searching…'}
        </span>
      </div>
      <FormError message={error} />
      {loaded && profiles.length === 0 && !error ? (
        <p className="empty-state">{q ? 'No profile has an identifier or trait starting with this.' : 'No profiles yet: they appear as events with a user id or anonymous id arrive.'}</p>
      ) : (
        <table className="data-table profiles-table" aria-label="Profiles">
          <thead>
            <tr>
              <th scope="col">Profile</th>
              <th scope="col">User id</th>
              <th scope="col" className="num">
                Identifiers
              </th>
              <th scope="col">First seen</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {profiles.map((p) => (
              <tr key={p.id} data-profile-id={p.id}>
                <th scope="row">
                  <Link to={profilePath(p.id)} className="profile-label">
                    {profileLabel(p.label, p.id)}
                  </Link>
                  <span className="profile-id">#{p.id}</span>
                </th>
                <td>{p.userId ? <code>{p.userId}</code> : <span className="muted">anonymous</span>}</td>
                <td className="num">{formatCount(p.identities)}</td>
                <td title={formatDateTime(p.firstSeen)}>{formatRelative(p.firstSeen)}</td>
                <td title={formatDateTime(p.lastSeen)}>{formatRelative(p.lastSeen)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {next && (
        <button type="button" className="button small load-more" disabled={loading} onClick={() => void useIdentity.getState().loadMore()}>
          {loading ? 'Loading…' : 'Load more'}
        </button>
      )}
    </div>
  )
}
