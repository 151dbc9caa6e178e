// e2e support for the UI: a real engine, Debian's Chromium, a logged-in page (the login link sets the
// HttpOnly session cookie, as for a person), a recorder of console errors, and screenshots into
// test-results/screenshots/ (CI keeps that folder).

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { Browser, BrowserContext, Page } from 'playwright-core'
import { expect } from 'vitest'
import type { TestEngine } from '../../src-main/engine/test-engine'
import { watchPage, type PageWatch } from './browser-site'

export const SCREENSHOT_DIR = join(process.cwd(), 'test-results', 'screenshots')

export interface UiPage {
  context: BrowserContext
  page: Page
  watch: PageWatch
  /** Navigates inside the UI (full load), e.g. "/events?type=track". */
  open(path: string): Promise<void>
  close(): Promise<void>
}

export interface UiOptions {
  colorScheme?: 'light' | 'dark'
  /** Skip the login link: the page has no session. */
  anonymous?: boolean
  viewport?: { width: number; height: number }
}

export async function openUi(browser: Browser, t: TestEngine, path: string, options: UiOptions = {}): Promise<UiPage> {
  const context = await browser.newContext({
    colorScheme: options.colorScheme ?? 'light',
    viewport: options.viewport ?? { width: 1440, height: 900 },
    deviceScaleFactor: 1
  })
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: t.baseUrl })
  const page = await context.newPage()
  const watch = watchPage(page)
  if (!options.anonymous) {
    await page.goto(t.address.loginUrl, { waitUntil: 'load' })
    // The login link answers 303 to "/" and the UI lands on Live.
    try {
      await page.waitForURL(`${t.baseUrl}/live`, { timeout: 10_000 })
    } catch (error) {
      await screenshot(page, 'login-failure')
      throw new Error(`login did not land on /live: at ${page.url()}; requests: ${watch.requests.map((r) => `${r.status} ${r.method} ${r.url}`).join(', ')}; console: ${watch.consoleErrors.join(' | ')}`, { cause: error })
    }
  }
  const ui: UiPage = {
    context,
    page,
    watch,
    async open(target) {
      await page.goto(`${t.baseUrl}${target}`, { waitUntil: 'load' })
    },
    close: () => context.close()
  }
  if (path !== '/live' || options.anonymous) await ui.open(path)
  return ui
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true })
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`) })
}

/** No console error, no uncaught exception, no failed request other than streams cut by navigation. */
export async function expectCleanConsole(watch: PageWatch, allowed: RegExp[] = []): Promise<void> {
  await watch.settled()
  const errors = watch.consoleErrors.filter((message) => !allowed.some((re) => re.test(message)))
  expect(errors, 'console errors').toEqual([])
  expect(watch.pageErrors, 'uncaught page errors').toEqual([])
  // An EventSource or a fetch still open when the page navigates away is aborted: that is no failure.
  const failed = watch.failedRequests.filter((line) => !/net::ERR_ABORTED/.test(line))
  expect(failed, 'failed requests').toEqual([])
}

/** Rows of the list currently rendered (virtualized: only those near the viewport). */
export function rows(page: Page, listLabel: string) {
  return page.getByRole('listbox', { name: listLabel }).locator('.event-row')
}

/**
 * Waits until the Live stream is open on a URL containing `fragment` (e.g. "type=identify"): from
 * then on, the engine has subscribed it and every committed event matching reaches the page.
 */
export async function waitForStream(ui: UiPage, fragment = ''): Promise<void> {
  await expect
    .poll(() => ui.watch.requests.some((r) => r.url.includes('/api/live') && r.url.includes(fragment)), { timeout: 5000 })
    .toBe(true)
  await ui.page.locator('[data-testid="live-status"][data-status="open"]').waitFor({ timeout: 5000 })
}

/** What the page last put on the clipboard (the context was granted clipboard-read). */
export function readClipboard(page: Page): Promise<string> {
  return page.evaluate('navigator.clipboard.readText()') as Promise<string>
}
