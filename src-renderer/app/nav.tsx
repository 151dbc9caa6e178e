// The left navigation: only screens that work today.

import { Link } from '../components/link'
import { useRouter } from '../state/router-store'

export const SCREENS = [
  { path: '/live', label: 'Live', hint: 'Events as they arrive' },
  { path: '/events', label: 'Events', hint: 'Search everything stored' },
  { path: '/sources', label: 'Sources', hint: 'Write keys and snippets' }
] as const

export function Nav() {
  const path = useRouter((s) => s.path)
  return (
    <nav className="nav" aria-label="Screens">
      <ul>
        {SCREENS.map((screen) => (
          <li key={screen.path}>
            <Link to={screen.path} className={path === screen.path ? 'active' : undefined} aria-current={path === screen.path ? 'page' : undefined} title={screen.hint}>
              {screen.label}
            </Link>
          </li>
        ))}
      </ul>
    </nav>
  )
}
