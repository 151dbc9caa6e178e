// e2e support: a headless Chromium, a tiny "customer site" on its own loopback port (so every call to
// Loupe is cross-origin, as on a real site), the official Segment snippet pointed at Loupe, and a
// recorder of what the page did on the wire and in its console.

import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { chromium, type Browser, type Page } from 'playwright-core'

export const CHROMIUM_PATH = process.env.LOUPE_E2E_CHROMIUM ?? '/usr/bin/chromium'

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

export interface SiteServer {
  origin: string
  /** Serves `html` at `path` (e.g. "/shop.html") until the server closes. */
  setPage(path: string, html: string): string
  close(): Promise<void>
}

export async function startSiteServer(): Promise<SiteServer> {
  const pages = new Map<string, string>()
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://site.invalid').pathname
    const html = pages.get(path)
    if (html !== undefined) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
      response.end(html)
    } else if (path === '/favicon.ico') {
      response.writeHead(204).end()
    } else {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve())
  })
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    origin,
    setPage(path, html) {
      pages.set(path, html)
      return `${origin}${path}`
    },
    close() {
      server.closeAllConnections()
      return new Promise((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
    }
  }
}

/**
 * The official analytics.js snippet (SNIPPET_VERSION 5.2.0) exactly as Segment's app hands it out,
 * with only its CDN host swapped for Loupe's, plus `analytics._cdn` (analytics.js derives the CDN from
 * the script URL only for https hosts). `loadOptions` is a JS expression passed as `load()`'s 2nd argument.
 */
export function segmentSnippet(cdnBase: string, writeKey: string, loadOptions?: string): string {
  const host = JSON.stringify(`${cdnBase}/analytics.js/v1/`)
  const key = JSON.stringify(writeKey)
  const load = loadOptions === undefined ? `analytics.load(${key});` : `analytics.load(${key}, ${loadOptions});`
  return (
    '!function(){var i="analytics",analytics=window[i]=window[i]||[];if(!analytics.initialize)if(analytics.invoked)window.console&&console.error&&console.error("Segment snippet included twice.");else{analytics.invoked=!0;analytics.methods=["trackSubmit","trackClick","trackLink","trackForm","pageview","identify","reset","group","track","ready","alias","debug","page","screen","once","off","on","addSourceMiddleware","addIntegrationMiddleware","setAnonymousId","addDestinationMiddleware","register"];analytics.factory=function(e){return function(){if(window[i].initialized)return window[i][e].apply(window[i],arguments);var n=Array.prototype.slice.call(arguments);if(["track","screen","alias","group","page","identify"].indexOf(e)>-1){var c=document.querySelector("link[rel=\'canonical\']");n.push({__t:"bpc",c:c&&c.getAttribute("href")||void 0,p:location.pathname,u:location.href,s:location.search,t:document.title,r:document.referrer})}n.unshift(e);analytics.push(n);return analytics}};for(var n=0;n<analytics.methods.length;n++){var key=analytics.methods[n];analytics[key]=analytics.factory(key)}analytics.load=function(key,n){var t=document.createElement("script");t.type="text/javascript";t.async=!0;t.setAttribute("data-global-segment-analytics-key",i);' +
    `t.src=${host}+key+"/analytics.min.js";` +
    'var r=document.getElementsByTagName("script")[0];r.parentNode.insertBefore(t,r);analytics._loadOptions=n};' +
    `analytics._writeKey=${key};analytics._cdn=${JSON.stringify(cdnBase)};analytics.SNIPPET_VERSION="5.2.0";\n` +
    `${load}\n` +
    '}}();'
  )
}

export function sitePage(title: string, script: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<script>
${script}
</script>
</head>
<body><h1>${title}</h1></body>
</html>
`
}

export interface WireRecord {
  method: string
  url: string
  /** All request headers as sent (including Origin), once the request finished; provisional until then. */
  headers: Record<string, string>
  status: number | null
  responseHeaders: Record<string, string>
}

export interface PageWatch {
  requests: WireRecord[]
  consoleErrors: string[]
  pageErrors: string[]
  failedRequests: string[]
  /** Responses with status >= 400. */
  errorResponses: string[]
  /** Resolves once the full headers of every request seen so far have been read. */
  settled(): Promise<void>
}

/** Records every request, console error, uncaught page error and failed request of a page. */
export function watchPage(page: Page): PageWatch {
  const pending: Promise<unknown>[] = []
  const watch: PageWatch = {
    requests: [],
    consoleErrors: [],
    pageErrors: [],
    failedRequests: [],
    errorResponses: [],
    async settled() {
      await Promise.allSettled(pending)
    }
  }
  const records = new Map<object, WireRecord>()
  page.on('request', (request) => {
    const record: WireRecord = { method: request.method(), url: request.url(), headers: request.headers(), status: null, responseHeaders: {} }
    records.set(request, record)
    watch.requests.push(record)
  })
  page.on('response', (response) => {
    const record = records.get(response.request())
    if (record) {
      record.status = response.status()
      // The page may close before the full headers arrive (a test ends mid-request): keep what we have.
      const ignoreClosed = () => undefined
      pending.push(
        response.request().allHeaders().then((headers) => void (record.headers = headers), ignoreClosed),
        response.allHeaders().then((headers) => void (record.responseHeaders = headers), ignoreClosed)
      )
    }
    if (response.status() >= 400) watch.errorResponses.push(`${response.status()} ${response.request().method()} ${response.url()}`)
  })
  page.on('console', (message) => {
    if (message.type() === 'error') watch.consoleErrors.push(message.text())
  })
  page.on('pageerror', (error) => watch.pageErrors.push(String(error)))
  page.on('requestfailed', (request) => {
    watch.failedRequests.push(`${request.method()} ${request.url()}: ${request.failure()?.errorText ?? 'failed'}`)
  })
  return watch
}
