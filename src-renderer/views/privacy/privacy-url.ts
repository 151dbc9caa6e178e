// The Privacy screen's place in the address bar: /privacy?tab=inbox&source=2, so a tab (and the
// inventory's source) can be bookmarked and survives a reload.

export const PRIVACY_PATH = '/privacy'

export const PRIVACY_TABS = [
  { id: 'inventory', label: 'Inventory' },
  { id: 'inbox', label: 'Inbox' },
  { id: 'matchers', label: 'Matchers' },
  { id: 'controls', label: 'Destination controls' },
  { id: 'sources', label: 'Source settings' },
  { id: 'suppressions', label: 'Suppressions' },
  { id: 'deletions', label: 'Deletions' }
] as const

export type PrivacyTab = (typeof PRIVACY_TABS)[number]['id']

export interface PrivacyQuery {
  tab: PrivacyTab
  /** The inventory's and inbox's source filter. */
  source?: number
}

const isTab = (value: string | null): value is PrivacyTab => PRIVACY_TABS.some((t) => t.id === value)

export function parsePrivacyUrl(search: string): PrivacyQuery {
  const params = new URLSearchParams(search)
  const tab = params.get('tab')
  const source = params.get('source')
  return { tab: isTab(tab) ? tab : 'inventory', ...(source && /^\d{1,15}$/.test(source) ? { source: Number(source) } : {}) }
}

export function privacyUrl({ tab, source }: PrivacyQuery): string {
  const params = new URLSearchParams()
  if (tab !== 'inventory') params.set('tab', tab)
  if (source !== undefined) params.set('source', String(source))
  const text = params.toString()
  return `${PRIVACY_PATH}${text ? `?${text}` : ''}`
}
