// One profile: who it is (its identifiers and how each joined), what it said about itself (traits), what
// Loupe computed (computed traits, audiences), what it did (the timeline), and the profiles merged into it.
// Events referenced anywhere on the page open in the detail pane beside it.

import { Link } from '../../components/link'
import { FormError } from '../../components/form-error'
import { formatCount } from '../../format/numbers'
import { formatDateTime } from '../../format/time'
import { EventDetail } from '../event-detail/event-detail'
import { IdentitiesTable } from './identities-table'
import { ComputedSection, TraitsSection } from './traits-section'
import { ProfileTimeline } from './profile-timeline'
import { graphPath, profilePath, PROFILES_PATH } from './profiles-routes'
import { useProfile } from './use-profile'
import './profiles.css'
import { profileLabel } from './profile-label'

export function ProfilePage({ id }: { id: number }) {
  const data = useProfile(id)
  const { profile, error } = data

  return (
    <section className="screen profile-screen" aria-labelledby="profile-title">
      <header className="screen-header profile-header">
        <Link to={PROFILES_PATH} className="back-link">
          ← Profiles
        </Link>
        <h1 id="profile-title" className="profile-title">
          {profile ? profileLabel(profile.label, profile.id) : `Profile #${id}`}
        </h1>
        {profile && <span className="profile-id">#{profile.id}</span>}
        {profile && (
          <Link to={graphPath(profile.id)} className="button small header-action">
            Identity graph
          </Link>
        )}
      </header>
      <div className="split">
        <div className="profile-body">
          <FormError message={error} />
          {!profile && !error && <p className="muted loading">Loading the profile…</p>}
          {profile && (
            <>
              <dl className="profile-facts">
                <div>
                  <dt>User id</dt>
                  <dd>{profile.userId ? <code>{profile.userId}</code> : <span className="muted">anonymous</span>}</dd>
                </div>
                <div>
                  <dt>First seen</dt>
                  <dd>{formatDateTime(profile.firstSeen)}</dd>
                </div>
                <div>
                  <dt>Last seen</dt>
                  <dd>{formatDateTime(profile.lastSeen)}</dd>
                </div>
                <div>
                  <dt>Events</dt>
                  <dd>{formatCount(profile.events)}</dd>
                </div>
                <div>
                  <dt>Merged from</dt>
                  <dd data-testid="merged-from">
                    {profile.mergedFrom.length === 0 ? (
                      <span className="muted">none</span>
                    ) : (
                      profile.mergedFrom.map((from, i) => (
                        <span key={from}>
                          {i > 0 && ', '}
                          <Link to={profilePath(from)} title="A merged-away id: it leads here">
                            #{from}
                          </Link>
                        </span>
                      ))
                    )}
                  </dd>
                </div>
              </dl>
              <IdentitiesTable identities={profile.identityList} />
              <TraitsSection traits={profile.traits} />
              <ComputedSection computed={profile.computed} audiences={profile.audiences} />
              <ProfileTimeline data={data} />
            </>
          )}
        </div>
        <EventDetail />
      </div>
    </section>
  )
}
