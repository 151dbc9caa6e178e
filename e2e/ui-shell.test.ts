// The UI shell against a real engine in Chromium: the login flow, the unauthenticated screen, the
// empty state that teaches, the top bar's engine status and the capture switch, and the dark theme.

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, rows, screenshot } from './support/ui-session'

let t: TestEngine
let browser: Browser

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
})

afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

describe('without a session', () => {
  it('shows only how to log in, and no data', async () => {
    await t.track('/v1/track', { userId: 'secret-user', event: 'Secret Event' }, 'wk_secret')
    const ui = await openUi(browser, t, '/events?q=secret', { anonymous: true })
    try {
      const { page } = ui
      await expect.poll(() => page.getByRole('heading', { name: 'Open the login link printed by loupe serve' }).isVisible()).toBe(true)
      await expect.poll(() => page.locator('body').innerText()).toContain(`${t.baseUrl}/login?token=…`)
      const text = await page.locator('body').innerText()
      expect(text).not.toMatch(/secret-user|Secret Event|wk_secret/)
      expect(await page.getByRole('navigation').count()).toBe(0)
      await screenshot(page, 'unauthenticated')
      // GET /api/session answers 200 either way: not even a 401 in the console.
      await expectCleanConsole(ui.watch)
      // No stream was opened without a session.
      expect(ui.watch.requests.filter((r) => r.url.includes('/api/live'))).toEqual([])
    } finally {
      await ui.close()
    }
  })
})

describe('with a session', () => {
  it('logs in through the printed link and teaches how to send the first event', async () => {
    const fresh = await startTestEngine()
    const ui = await openUi(browser, fresh, '/live')
    try {
      const { page } = ui
      expect(page.url()).toBe(`${fresh.baseUrl}/live`)
      const guide = page.getByRole('region', { name: 'No events yet' })
      await guide.waitFor()
      const curl = await guide.locator('pre').first().innerText()
      expect(curl).toContain(`'${fresh.baseUrl}/v1/track'`)
      await expect.poll(() => page.getByTestId('stat-listening').innerText()).toBe(fresh.baseUrl)
      await screenshot(page, 'empty-state')

      // The taught curl line really works: run the body it shows, and the event streams in.
      const body = /-d '(.*)'$/m.exec(curl)![1]!
      expect((await fresh.track('/v1/track', body, 'my-app')).status).toBe(200)
      await rows(page, 'Live events').filter({ hasText: 'Hello Loupe' }).waitFor()
      await expect.poll(() => page.getByTestId('stat-total').innerText(), { timeout: 5000 }).toBe('1')

      await ui.open('/events')
      await rows(page, 'Stored events').filter({ hasText: 'Hello Loupe' }).waitFor()
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
      await fresh.stop()
    }
  })

  it('shows engine status and pauses / resumes capture', async () => {
    const ui = await openUi(browser, t, '/live')
    try {
      const { page } = ui
      const capture = page.getByTestId('capture')
      await expect.poll(() => capture.innerText()).toContain('Capturing')
      expect(await page.getByTestId('stat-db').innerText()).toMatch(/^\d+(\.\d)? (KB|MB)$/)

      await capture.getByRole('button', { name: 'Pause capture' }).click()
      await expect.poll(() => capture.innerText()).toContain('Capture paused')
      expect((await t.get('/api/capture')).paused).toBe(true)
      expect((await t.track('/v1/track', { userId: 'u', event: 'While paused' })).status).toBe(503)
      await screenshot(page, 'capture-paused')

      await capture.getByRole('button', { name: 'Resume capture' }).click()
      await expect.poll(() => capture.innerText()).toContain('Capturing')
      expect((await t.get('/api/capture')).paused).toBe(false)
      expect((await t.track('/v1/track', { userId: 'u', event: 'After resume' })).status).toBe(200)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('follows the OS dark theme', async () => {
    const batch = ['Order Completed', 'Product Viewed', 'Checkout Started'].map((event, i) => ({ type: 'track', event, userId: `user-${i}`, properties: { i } }))
    batch.push({ type: 'identify', userId: 'user-9', traits: { plan: 'pro' } } as never, { type: 'page', name: 'Pricing', anonymousId: 'anon-1' } as never)
    await t.track('/v1/batch', { batch }, 'wk_dark')
    // A smaller window too: the list and the detail pane must share it without overflow.
    const ui = await openUi(browser, t, '/live', { colorScheme: 'dark', viewport: { width: 1100, height: 760 } })
    try {
      const { page } = ui
      await rows(page, 'Live events').filter({ hasText: 'Pricing' }).waitFor()
      const background = await page.evaluate('getComputedStyle(document.body).backgroundColor')
      expect(background).toBe('rgb(21, 23, 28)')
      await rows(page, 'Live events').filter({ hasText: 'Order Completed' }).click()
      await page.getByRole('complementary', { name: 'Event detail' }).getByText('Payload').waitFor()
      await screenshot(page, 'dark-theme')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
