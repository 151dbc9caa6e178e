// analytics.js in a real Chromium against a real engine: the official snippet on a site served from
// another loopback port (every call is cross-origin), its CDN host swapped for Loupe. Loupe must serve
// analytics.min.js and the settings, and store what the browser sends, in standard and batching mode,
// without a single console error or failed request on the page.

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventRecord, EventsPage, Source } from '../src-shared/api'
import { startTestEngine, type TestEngine, readJson } from '../src-main/engine/test-engine'
import { launchChromium, segmentSnippet, sitePage, startSiteServer, watchPage, type PageWatch, type SiteServer } from './support/browser-site'

let t: TestEngine
let site: SiteServer
let browser: Browser

beforeAll(async () => {
  t = await startTestEngine()
  site = await startSiteServer()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await t?.stop()
})

const PAGE_CALLS = `
analytics.page();
analytics.identify('user-1', { email: 'ada@example.com' });
analytics.track('Order Completed', { revenue: 9.99 });
`

interface RunResult {
  url: string
  writeKey: string
  watch: PageWatch
  events: EventRecord[]
}

/** Opens the site page in a fresh browser context and waits until Loupe has stored `expected` events of its source. */
async function runSite(name: string, loadOptions: string | undefined, expected: number): Promise<RunResult> {
  const writeKey = `wk_e2e_${name}_${Date.now().toString(36)}`
  const url = site.setPage(`/${name}.html`, sitePage(`Loupe e2e ${name}`, segmentSnippet(t.baseUrl, writeKey, loadOptions) + PAGE_CALLS))
  const context = await browser.newContext()
  try {
    const page = await context.newPage()
    const watch = watchPage(page)
    await page.goto(url, { waitUntil: 'load' })
    await page.waitForFunction('window.analytics && window.analytics.initialized === true', undefined, { timeout: 15_000 })
    const events = await waitForEvents(writeKey, expected, 15_000)
    // Let late answers and console messages of the page settle before judging it.
    await page.waitForTimeout(300)
    await watch.settled()
    if (process.env.LOUPE_E2E_WIRE) printWire(name, watch)
    return { url, writeKey, watch, events }
  } finally {
    await context.close()
  }
}

async function json<T>(path: string): Promise<T> {
  const res = await t.admin(path)
  expect(res.status, `GET ${path}`).toBe(200)
  return (await readJson(res)) as T
}

async function waitForEvents(writeKey: string, expected: number, timeoutMs: number): Promise<EventRecord[]> {
  const deadline = Date.now() + timeoutMs
  let seen = 0
  for (;;) {
    const { sources } = await json<{ sources: Source[] }>('/api/sources')
    const source = sources.find((s) => s.writeKey === writeKey)
    if (source) {
      const page = await json<EventsPage>(`/api/events?source=${source.id}&limit=100`)
      seen = page.events.length
      if (seen >= expected) {
        const records = await Promise.all(page.events.map((e) => json<EventRecord>(`/api/events/${e.id}`)))
        return records.sort((a, b) => Number(a.id) - Number(b.id))
      }
    }
    if (Date.now() > deadline) throw new Error(`Loupe stored ${seen} of ${expected} events for ${writeKey} within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

function printWire(name: string, watch: PageWatch): void {
  const lines = watch.requests.map((r) => `${r.status ?? '---'} ${r.method} ${r.url}\n    > ${JSON.stringify(r.headers)}\n    < ${JSON.stringify(r.responseHeaders)}`)
  process.stderr.write(`[wire ${name}]\n${lines.join('\n')}\n`)
}

function pathsTo(watch: PageWatch, origin: string): string[] {
  return watch.requests.filter((r) => r.url.startsWith(`${origin}/`)).map((r) => `${r.method} ${new URL(r.url).pathname} ${r.status}`)
}

function expectCleanPage(watch: PageWatch): void {
  expect(watch.consoleErrors, 'console errors').toEqual([])
  expect(watch.pageErrors, 'uncaught page errors').toEqual([])
  expect(watch.failedRequests, 'failed requests').toEqual([])
  expect(watch.errorResponses, 'responses >= 400').toEqual([])
  // Nothing left the machine: every request went to the site or to Loupe (no cdn.segment.com, no api.segment.io).
  const elsewhere = watch.requests.filter((r) => !r.url.startsWith(`${site.origin}/`) && !r.url.startsWith(`${t.baseUrl}/`))
  expect(elsewhere.map((r) => r.url), 'requests to other hosts').toEqual([])
}

function expectCdnServedByLoupe(run: RunResult): void {
  const paths = pathsTo(run.watch, t.baseUrl)
  expect(paths).toContain(`GET /analytics.js/v1/${run.writeKey}/analytics.min.js 200`)
  expect(paths).toContain(`GET /v1/projects/${run.writeKey}/settings 200`)
  const settings = run.watch.requests.find((r) => r.url === `${t.baseUrl}/v1/projects/${run.writeKey}/settings`)!
  // A cross-origin CORS fetch, like on a real site, answered with open CORS.
  expect(settings.headers.origin).toBe(site.origin)
  expect(settings.headers['sec-fetch-mode']).toBe('cors')
  expect(settings.responseHeaders['access-control-allow-origin']).toBe('*')
}

function expectCorsPosts(run: RunResult, path: string): void {
  const posts = run.watch.requests.filter((r) => r.method === 'POST' && r.url === `${t.baseUrl}${path}`)
  expect(posts.length, `POSTs to ${path}`).toBeGreaterThanOrEqual(1)
  for (const post of posts) {
    expect(post.headers.origin).toBe(site.origin)
    expect(post.headers['content-type']).toBe('text/plain')
    expect(post.headers.authorization).toBe(`Basic ${Buffer.from(`${run.writeKey}:`).toString('base64')}`)
    expect(post.responseHeaders['access-control-allow-origin']).toBe('*')
    expect(post.responseHeaders['access-control-allow-credentials']).toBeUndefined()
  }
}

function expectStoredEvents(run: RunResult): void {
  const byType = (type: string): EventRecord => {
    const found = run.events.filter((e) => e.type === type)
    expect(found, `stored ${type} events`).toHaveLength(1)
    return found[0]!
  }
  expect(run.events.map((e) => e.type).sort()).toEqual(['identify', 'page', 'track'])

  const page = byType('page')
  expect(page.name).toBeNull()
  expect((page.payload.context as { page?: { url?: string } }).page?.url).toBe(run.url)

  const identify = byType('identify')
  expect(identify.userId).toBe('user-1')
  expect(identify.payload.traits).toEqual({ email: 'ada@example.com' })

  const track = byType('track')
  expect(track.name).toBe('Order Completed')
  expect(track.userId).toBe('user-1')
  expect(track.payload.event).toBe('Order Completed')
  expect((track.payload.properties as { revenue?: number }).revenue).toBe(9.99)

  for (const event of run.events) {
    const library = (event.payload.context as { library?: { name?: string; version?: string } }).library
    expect(library?.name, `${event.type} context.library.name`).toBe('analytics.js')
    // The standalone build (what the CDN serves) says "next-<version>"; the npm build says "npm:next-…".
    expect(library?.version).toMatch(/^next-\d/)
    expect(event.messageIdGenerated).toBe(false)
    expect(event.messageId).toMatch(/^ajs-next-/)
    expect(event.anonymousId).toBeTruthy()
  }
  // One browser, one anonymous visitor.
  expect(new Set(run.events.map((e) => e.anonymousId)).size).toBe(1)
}

describe('analytics.js (official snippet) against Loupe', () => {
  it('loads analytics.min.js and settings from Loupe and stores page, identify and track', async () => {
    const run = await runSite('standard', undefined, 3)

    expectCdnServedByLoupe(run)
    const paths = pathsTo(run.watch, t.baseUrl)
    // Standard delivery: one POST per event on the short paths.
    expect(paths).toContain('POST /v1/p 200')
    expect(paths).toContain('POST /v1/i 200')
    expect(paths).toContain('POST /v1/t 200')
    expect(paths.filter((p) => p.startsWith('POST /v1/b'))).toEqual([])
    for (const path of ['/v1/p', '/v1/i', '/v1/t']) expectCorsPosts(run, path)

    expectStoredEvents(run)
    expectCleanPage(run.watch)
  })

  it('stores the events of the batching delivery strategy, posted to /v1/b', async () => {
    const options = `{ integrations: { 'Segment.io': { deliveryStrategy: { strategy: 'batching', config: { size: 10, timeout: 500 } } } } }`
    const run = await runSite('batching', options, 3)

    expectCdnServedByLoupe(run)
    const paths = pathsTo(run.watch, t.baseUrl)
    const batchPosts = paths.filter((p) => p.startsWith('POST /v1/b '))
    expect(batchPosts.length).toBeGreaterThanOrEqual(1)
    expect(batchPosts.every((p) => p === 'POST /v1/b 200')).toBe(true)
    // No per-event requests in batching mode.
    expect(paths.filter((p) => /^POST \/v1\/[pit] /.test(p))).toEqual([])
    expectCorsPosts(run, '/v1/b')

    expectStoredEvents(run)
    expectCleanPage(run.watch)
  })
})
