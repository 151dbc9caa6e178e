// The Events screen in Chromium against a real engine holding 10,000+ events: free-text search finds
// one old event, filters and the time range live in the URL (reload restores them), infinite scroll
// pages through with the cursor.

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, rows, screenshot } from './support/ui-session'

let t: TestEngine
let browser: Browser
const NEEDLE = 'coupon-7f3a9c'

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  // 10,000 events, quickly: four batches of 2,500. The needle is in the second-oldest.
  for (let b = 0; b < 4; b++) {
    const batch = Array.from({ length: 2500 }, (_, i) => {
      const n = b * 2500 + i
      return n % 5 === 0
        ? { type: 'page', name: n % 10 === 0 ? 'Pricing' : 'Home', anonymousId: `anon-${n % 300}`, messageId: `ev-${n}` }
        : { type: 'track', event: n % 2 === 0 ? 'Order Completed' : 'Product Viewed', userId: `user-${n % 250}`, messageId: `ev-${n}`, properties: { n, coupon: n === 1 ? NEEDLE : `plain-${n}` } }
    })
    expect((await t.track('/v1/batch', { batch }, b < 2 ? 'wk_shop' : 'wk_app')).status).toBe(200)
  }
}, 120_000)

afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

const list = (page: import('playwright-core').Page) => rows(page, 'Stored events')

describe('Events', () => {
  it('finds one old event among 10,000 by free text, and opens it', async () => {
    const ui = await openUi(browser, t, '/events')
    const { page } = ui
    try {
      await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe('100+ events')
      const search = page.getByRole('searchbox', { name: 'Search payloads' })
      await search.fill(NEEDLE)
      await search.press('Enter')
      await expect.poll(() => page.url()).toBe(`${t.baseUrl}/events?q=${NEEDLE}`)
      await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe('1 event')
      await list(page).first().click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      await expect.poll(() => detail.locator('[data-field="messageId"] dd').innerText()).toBe('ev-1')
      expect(await detail.locator('[data-path="properties.coupon"] .json-string').innerText()).toBe(`"${NEEDLE}"`)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('keeps filters and the time range in the URL; a reload restores the view', async () => {
    const ui = await openUi(browser, t, '/events')
    const { page } = ui
    try {
      await page.getByRole('combobox', { name: 'Type' }).selectOption('track')
      await page.getByRole('searchbox', { name: 'Event or page name' }).fill('Order Completed')
      await page.getByRole('searchbox', { name: 'Event or page name' }).press('Enter')
      await page.getByRole('searchbox', { name: 'User (userId or anonymousId)' }).fill('user-42')
      await page.getByRole('searchbox', { name: 'User (userId or anonymousId)' }).press('Enter')
      await page.getByRole('combobox', { name: 'Time range' }).selectOption('1h')
      const expected = `${t.baseUrl}/events?type=track&event=Order+Completed&user=user-42&range=1h`
      await expect.poll(() => page.url()).toBe(expected)
      // user-42 sent every 250th event; the even ones are "Order Completed": n = 42, 292, … (not multiples of 5).
      const want = Array.from({ length: 10_000 }, (_, n) => n).filter((n) => n % 250 === 42 && n % 5 !== 0 && n % 2 === 0).length
      await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe(`${want} events`)
      expect((await list(page).allInnerTexts()).every((row) => row.includes('Order Completed') && row.includes('user-42'))).toBe(true)
      await screenshot(page, 'events-filtered')

      await page.reload({ waitUntil: 'load' })
      await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe(`${want} events`)
      expect(await page.getByRole('combobox', { name: 'Type' }).inputValue()).toBe('track')
      expect(await page.getByRole('searchbox', { name: 'Event or page name' }).inputValue()).toBe('Order Completed')
      expect(await page.getByRole('searchbox', { name: 'User (userId or anonymousId)' }).inputValue()).toBe('user-42')
      expect(await page.getByRole('combobox', { name: 'Time range' }).inputValue()).toBe('1h')

      // A custom range that ends before anything was stored finds nothing.
      await page.getByRole('combobox', { name: 'Time range' }).selectOption('custom')
      await page.locator('input[name="to"]').fill('2001-01-01T00:00')
      await expect.poll(() => page.url()).toContain('to=2001-01-01T')
      await page.getByText('No stored events match these filters.').waitFor()
      await page.goBack({ waitUntil: 'load' }).catch(() => undefined)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('pages through everything with infinite scroll, newest first', async () => {
    const ui = await openUi(browser, t, '/events?source=1')
    const { page } = ui
    try {
      await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe('100+ events')
      const scroller = page.getByRole('listbox', { name: 'Stored events' })
      for (let i = 0; i < 3; i++) {
        await scroller.evaluate((el) => el.scrollTo({ top: el.scrollHeight }))
        await expect.poll(() => page.getByTestId('events-count').innerText(), { timeout: 10_000 }).toBe(`${(i + 2) * 100}+ events`)
      }
      // Source 1 (wk_shop) holds ev-0 … ev-4999; the newest of its 400 shown so far is ev-4999.
      await scroller.evaluate((el) => el.scrollTo({ top: 0 }))
      await list(page).first().click()
      await expect.poll(() => page.getByRole('complementary', { name: 'Event detail' }).locator('[data-field="messageId"] dd').innerText()).toBe('ev-4999')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
