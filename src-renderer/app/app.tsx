// The app shell: top bar, navigation and the current screen. Nothing with data renders before the
// engine has accepted the session, and a 401 replaces the whole UI with the login instructions.

import { useEffect } from 'react'
import { useAuth } from '../state/auth-store'
import { useDetail } from '../state/detail-store'
import { useRouter } from '../state/router-store'
import { startStatsPolling } from '../state/stats-store'
import { useLive } from '../state/use-live'
import { DeliveriesView } from '../views/deliveries/deliveries-view'
import { routingScreenOf } from '../views/destinations/destination-routes'
import { DestinationsView } from '../views/destinations/destinations-view'
import { EditDestinationView } from '../views/destinations/edit-destination-view'
import { NewDestinationView } from '../views/destinations/new-destination-view'
import { EventsView } from '../views/events/events-view'
import { LiveView } from '../views/live/live-view'
import { PlansView } from '../views/plans/plans-view'
import { PrivacyView } from '../views/privacy/privacy-view'
import { profilesScreenOf } from '../views/profiles/profiles-routes'
import { ProfilesView } from '../views/profiles/profiles-view'
import { plansScreenOf } from '../state/plans-store'
import { ReplayView } from '../views/replay/replay-view'
import { runsScreenOf } from '../views/runs/run-routes'
import { RunsView } from '../views/runs/runs-view'
import { SettingsView } from '../views/settings/settings-view'
import { SourcesView } from '../views/sources/sources-view'
import { ViolationsView } from '../views/violations/violations-view'
import { Nav } from './nav'
import { TopBar } from './top-bar'
import { UnauthenticatedScreen } from './unauthenticated-screen'
import { useSourcesSync } from './use-sources-sync'

export function App() {
  const status = useAuth((s) => s.status)

  useEffect(() => void useAuth.getState().check(), [])
  useEffect(() => (status === 'ok' ? startStatsPolling() : undefined), [status])

  // The Live stream runs app-wide, so events sent while another screen is open are there on return.
  useEffect(() => {
    if (status !== 'ok') return
    const live = useLive.getState()
    live.connect()
    return () => live.disconnect()
  }, [status])

  useSourcesSync(status === 'ok')

  if (status === 'unauthorized') return <UnauthenticatedScreen />
  return (
    <div className="app">
      <TopBar />
      <Nav />
      <main className="main" id="main">
        {status === 'ok' ? <Screen /> : <p className="loading">Connecting to the engine…</p>}
      </main>
    </div>
  )
}

function Screen() {
  const path = useRouter((s) => s.path)
  const navigate = useRouter((s) => s.navigate)
  const routing = routingScreenOf(path)
  const runs = runsScreenOf(path)
  const plans = plansScreenOf(path)
  const profiles = profilesScreenOf(path)
  const known = path === '/live' || path === '/events' || path === '/sources' || path === '/settings' || path === '/violations' || path === '/privacy' || routing !== null || runs !== null || plans !== null || profiles !== null

  useEffect(() => {
    if (!known) navigate('/live', { replace: true })
  }, [known, navigate])

  // The detail pane belongs to the screen it was opened on.
  useEffect(() => () => useDetail.getState().close(), [path])

  if (path === '/events') return <EventsView />
  if (path === '/sources') return <SourcesView />
  if (path === '/settings') return <SettingsView />
  if (path === '/violations') return <ViolationsView />
  if (path === '/privacy') return <PrivacyView />
  if (runs) return <RunsView openId={runs.id} />
  if (plans) return <PlansView screen={plans} />
  if (profiles) return <ProfilesView screen={profiles} />
  if (routing) return <RoutingScreen screen={routing} />
  return <LiveView />
}

function RoutingScreen({ screen }: { screen: NonNullable<ReturnType<typeof routingScreenOf>> }) {
  switch (screen.screen) {
    case 'destinations':
      return <DestinationsView />
    case 'new-destination':
      return <NewDestinationView />
    case 'edit-destination':
      return <EditDestinationView key={screen.id} id={screen.id} />
    case 'deliveries':
      return <DeliveriesView key={screen.id} id={screen.id} />
    case 'replay':
      return <ReplayView />
  }
}
