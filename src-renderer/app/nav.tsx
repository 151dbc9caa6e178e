// The left navigation: only screens that work today.

import { Link } from '../components/link'
import { useRouter } from '../state/router-store'

export const SCREENS = [
  { path: '/live', label: 'Live', hint: 'Events as they arrive' },
  { path: '/events', label: 'Events', hint: 'Search everything stored' },
  { path: '/sources', label: 'Sources', hint: 'Write keys and snippets' },
  { path: '/destinations', label: 'Destinations', hint: 'Where events are delivered' },
  { path: '/plans', label: 'Tracking plans', hint: 'Event rules as JSON Schema' },
  { path: '/violations', label: 'Violations', hint: 'Events that break their tracking plan' },
  { path: '/profiles', label: 'Profiles', hint: 'People across devices: identities, traits, audiences' },
  { path: '/privacy', label: 'Privacy', hint: 'Personal data: where it flows, controls, deletion' },
  { path: '/replay', label: 'Replay', hint: 'Send stored events again' },
  { path: '/runs', label: 'Runs', hint: 'Test runs and expectations' },
  { path: '/settings', label: 'Settings', hint: 'Backup and config as code' }
] as const

/** A screen's entry stays highlighted on its sub-pages (a destination's deliveries, say). */
function isActive(current: string, screen: string): boolean {
  return current === screen || current.startsWith(`${screen}/`)
}

export function Nav() {
  const path = useRouter((s) => s.path)
  return (
    <nav className="nav" aria-label="Screens">
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen.path}>
            <Link to={screen.path} className={isActive(path, screen.path) ? 'active' : undefined} aria-current={isActive(path, screen.path) ? 'page' : undefined} title={screen.hint}>
              {screen.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
