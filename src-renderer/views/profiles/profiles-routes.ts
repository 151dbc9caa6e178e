// The Profiles screen's places in the address bar: the tabs (/profiles, /profiles/traits, /profiles/audiences,
// /profiles/settings), one profile (/profiles/12) and its identity graph (/profiles/12/graph).

export const PROFILES_PATH = '/profiles'

export const PROFILES_TABS = [
  { id: 'list', label: 'Profiles', path: PROFILES_PATH },
  { id: 'traits', label: 'Computed traits', path: `${PROFILES_PATH}/traits` },
  { id: 'audiences', label: 'Audiences', path: `${PROFILES_PATH}/audiences` },
  { id: 'settings', label: 'Merge rules', path: `${PROFILES_PATH}/settings` }
] as const

export type ProfilesTab = (typeof PROFILES_TABS)[number]['id']

export type ProfilesScreen = { screen: 'tab'; tab: ProfilesTab } | { screen: 'profile'; id: number } | { screen: 'graph'; id: number }

export function profilesScreenOf(path: string): ProfilesScreen | null {
  const tab = PROFILES_TABS.find((t) => t.path === path)
  if (tab) return { screen: 'tab', tab: tab.id }
  const m = /^\/profiles\/(\d{1,15})(\/graph)?$/.exec(path)
  if (!m) return null
  return { screen: m[2] ? 'graph' : 'profile', id: Number(m[1]) }
}

export const profilePath = (id: number): string => `${PROFILES_PATH}/${id}`
export const graphPath = (id: number): string => `${PROFILES_PATH}/${id}/graph`
