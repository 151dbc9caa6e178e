// Where the app is: the path and query of the address bar, kept in sync with the history API so a
// screen and its filters can be bookmarked, shared and restored on reload. No router library: a few
// screens and their queries do not need one (the routing screens' paths: views/destinations/destination-routes.ts).

import { create } from 'zustand'

export interface RouterState {
  path: string
  search: string
  navigate(to: string, options?: { replace?: boolean }): void
}

function current(): { path: string; search: string } {
  return { path: window.location.pathname, search: window.location.search }
}

export const useRouter = create<RouterState>()((set) => ({
  ...current(),
  navigate(to, options = {}) {
    const url = new URL(to, window.location.origin)
    const target = `${url.pathname}${url.search}`
    if (target === `${window.location.pathname}${window.location.search}`) return
    if (options.replace) window.history.replaceState(null, '', target)
    else window.history.pushState(null, '', target)
    set({ path: url.pathname, search: url.search })
  }
}))

window.addEventListener('popstate', () => useRouter.setState(current()))
