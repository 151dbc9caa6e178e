// Profiles (identity resolution): the tabs — profile search, computed traits, audiences, merge rules — and
// the pages of one profile and of its identity graph, all under /profiles.

import { Link } from '../../components/link'
import { AudiencesPanel } from './audiences-panel'
import { ComputedTraitsPanel } from './computed-traits-panel'
import { IdentityGraphPage } from './identity-graph-page'
import { IdentityStatusLine } from './identity-status'
import { MergeRulesPanel } from './merge-rules-panel'
import { ProfileList } from './profile-list'
import { ProfilePage } from './profile-page'
import { PROFILES_TABS, type ProfilesScreen, type ProfilesTab } from './profiles-routes'
import './profiles.css'

export function ProfilesView({ screen }: { screen: ProfilesScreen }) {
  if (screen.screen === 'profile') return <ProfilePage key={screen.id} id={screen.id} />
  if (screen.screen === 'graph') return <IdentityGraphPage key={screen.id} id={screen.id} />
  return (
    <section className="screen profiles-screen" aria-labelledby="profiles-title">
      <header className="screen-header">
        <h1 id="profiles-title">Profiles</h1>
        <IdentityStatusLine />
      </header>
      <nav className="profiles-tabs" aria-label="Profiles">
        {PROFILES_TABS.map((t) => (
          <Link key={t.id} to={t.path} className={t.id === screen.tab ? 'active' : undefined} aria-current={t.id === screen.tab ? 'page' : undefined}>
            {t.label}
          </Link>
        ))}
      </nav>
      <div className="profiles-body">
        <Tab tab={screen.tab} />
      </div>
    </section>
  )
}

function Tab({ tab }: { tab: ProfilesTab }) {
  switch (tab) {
    case 'list':
      return <ProfileList />
    case 'traits':
      return <ComputedTraitsPanel />
    case 'audiences':
      return <AudiencesPanel />
    case 'settings':
      return <MergeRulesPanel />
  }
}
