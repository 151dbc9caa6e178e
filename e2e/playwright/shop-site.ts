// The app under test: a tiny shop page on its own loopback port (so every call to Loupe is cross-origin, as
// on a real site) that loads analytics.js from Loupe's CDN emulation with a run's write key.

import { segmentSnippet, sitePage, startSiteServer, type SiteServer } from '../support/browser-site'

export interface ShopSite {
  /** A page that runs `calls` (analytics.* statements) once analytics.js has loaded with `writeKey`. */
  page(name: string, loupeUrl: string, writeKey: string, calls: string): string
  close(): Promise<void>
}

export async function startShopSite(): Promise<ShopSite> {
  const site: SiteServer = await startSiteServer()
  return {
    page(name, loupeUrl, writeKey, calls) {
      return site.setPage(`/${name}.html`, sitePage(`Shop ${name}`, `${segmentSnippet(loupeUrl, writeKey)}\n${calls}`))
    },
    close: () => site.close()
  }
}
