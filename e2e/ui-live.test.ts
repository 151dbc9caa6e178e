// Live in Chromium against a real engine: events from the official clients stream in, filters
// reconnect the stream, pause/resume counts what waits, the detail shows the right fields and copies
// working code, hostile payloads stay text, and a burst does not freeze the page.

import { Analytics } from '@segment/analytics-node'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { EventsPage, Source } from '../src-shared/api'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium, startSiteServer, type SiteServer } from './support/browser-site'
import { expectCleanConsole, openUi, readClipboard, rows, screenshot, waitForStream, type UiPage } from './support/ui-session'

let t: TestEngine
let browser: Browser
let site: SiteServer

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  site = await startSiteServer()
})

afterAll(async () => {
  await browser?.close()
  await site?.close()
  await t?.stop()
})

async function liveUi(): Promise<UiPage> {
  const ui = await openUi(browser, t, '/live')
  await waitForStream(ui)
  return ui
}

async function sendWithNode(writeKey: string, send: (analytics: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey, host: t.baseUrl, flushInterval: 20, flushAt: 50 })
  send(analytics)
  await analytics.closeAndFlush()
}

const live = (ui: UiPage) => rows(ui.page, 'Live events')

describe('Live', () => {
  it('streams events sent with analytics-node, newest on top', async () => {
    const ui = await liveUi()
    try {
      await sendWithNode('wk_live_node', (a) => {
        a.identify({ userId: 'user-1', traits: { plan: 'pro' } })
        a.track({ userId: 'user-1', event: 'Order Completed', properties: { revenue: 9.99 } })
        a.page({ anonymousId: 'anon-7', name: 'Pricing' })
      })
      const order = live(ui).filter({ hasText: 'Order Completed' })
      await order.waitFor()
      const cells = await order.locator('.cell').allInnerTexts()
      expect(cells[1]).toBe('track')
      expect(cells[3]).toBe('user-1')
      expect(cells[5]).toMatch(/^\d+ B$/)
      await expect.poll(() => order.locator('.cell.source').innerText(), { timeout: 3000 }).toBe('wk_live_node')
      // Newest on top: the page call was the last one sent.
      await expect.poll(() => live(ui).first().innerText()).toContain('Pricing')
      expect(await live(ui).first().innerText()).toContain('anon-7')
      await screenshot(ui.page, 'live')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('filters by type, event name, free text and source, reconnecting the stream', async () => {
    const ui = await liveUi()
    const { page } = ui
    try {
      await page.getByRole('combobox', { name: 'Type' }).selectOption('identify')
      await waitForStream(ui, 'type=identify')
      await sendWithNode('wk_filters', (a) => {
        a.track({ userId: 'f-1', event: 'Filtered Out' })
        a.identify({ userId: 'f-2', traits: { kept: true } })
      })
      await live(ui).filter({ hasText: 'f-2' }).waitFor()
      expect(await live(ui).allInnerTexts()).not.toContainEqual(expect.stringContaining('Filtered Out'))

      await page.getByRole('button', { name: 'Clear', exact: true }).first().click()
      await page.getByRole('searchbox', { name: 'Event or page name' }).fill('Checkout Started')
      await page.getByRole('searchbox', { name: 'Event or page name' }).press('Enter')
      await waitForStream(ui, 'event=Checkout+Started')
      await sendWithNode('wk_filters', (a) => {
        a.track({ userId: 'f-3', event: 'Checkout Abandoned' })
        a.track({ userId: 'f-4', event: 'Checkout Started' })
      })
      await live(ui).filter({ hasText: 'f-4' }).waitFor()
      expect((await live(ui).allInnerTexts()).every((row) => row.includes('Checkout Started'))).toBe(true)

      await page.getByRole('searchbox', { name: 'Event or page name' }).fill('')
      await page.getByRole('searchbox', { name: 'Search payloads' }).fill('needle-4711')
      await waitForStream(ui, 'q=needle-4711')
      await sendWithNode('wk_filters', (a) => {
        a.track({ userId: 'f-5', event: 'Haystack', properties: { note: 'hay' } })
        a.track({ userId: 'f-6', event: 'Haystack', properties: { note: 'the needle-4711 is here' } })
      })
      await live(ui).filter({ hasText: 'f-6' }).waitFor()
      expect(await live(ui).filter({ hasText: 'f-5' }).count()).toBe(0)

      await page.getByRole('searchbox', { name: 'Search payloads' }).fill('')
      const other = (await (await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Mobile app', writeKey: 'wk_mobile' }) })).json()) as Source
      await expect.poll(() => page.getByRole('combobox', { name: 'Source' }).locator('option').allInnerTexts(), { timeout: 5000 }).toContain('Mobile app')
      await page.getByRole('combobox', { name: 'Source' }).selectOption({ label: 'Mobile app' })
      await waitForStream(ui, `source=${other.id}`)
      await sendWithNode('wk_filters', (a) => a.track({ userId: 'f-7', event: 'Other Source' }))
      await sendWithNode('wk_mobile', (a) => a.track({ userId: 'f-8', event: 'Mobile Source' }))
      await live(ui).filter({ hasText: 'f-8' }).waitFor()
      expect(await live(ui).filter({ hasText: 'f-7' }).count()).toBe(0)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('pauses with an "N new" counter and resumes', async () => {
    const ui = await liveUi()
    const { page } = ui
    try {
      await page.getByRole('button', { name: 'Pause', exact: true }).click()
      await sendWithNode('wk_pause', (a) => {
        for (let i = 1; i <= 3; i++) a.track({ userId: `p-${i}`, event: 'Paused Arrival' })
      })
      const resume = page.getByTestId('live-resume')
      await expect.poll(() => resume.innerText()).toBe('Resume · 3 new')
      expect(await live(ui).filter({ hasText: 'Paused Arrival' }).count()).toBe(0)
      await resume.click()
      await expect.poll(() => live(ui).filter({ hasText: 'Paused Arrival' }).count()).toBe(3)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})

describe('Event detail', () => {
  it('shows fields, timestamps with clock skew, context and warnings; keyboard moves and closes', async () => {
    const ui = await liveUi()
    const { page } = ui
    try {
      const sentAt = new Date(Date.now() - 5000).toISOString()
      const big = 'x'.repeat(40 * 1024)
      await t.track('/v1/batch', {
        sentAt,
        batch: [
          { type: 'track', event: 'Older One', userId: 'd-0' },
          {
            type: 'track',
            event: 'Detail Check',
            userId: 'd-1',
            anonymousId: 'anon-d',
            messageId: 'detail-msg-1',
            timestamp: new Date(Date.now() - 5100).toISOString(),
            context: { library: { name: 'analytics-node', version: '3.1.0' }, page: { url: 'https://shop.example/cart' }, userAgent: 'Mozilla/5.0 (Loupe e2e)', ip: '10.1.2.3' },
            properties: { cart: { items: [{ sku: 'SKU-42', note: "it's fine" }] }, blob: big }
          },
          { type: 'track', event: 'Newer One', userId: 'd-2' }
        ]
      }, 'wk_detail')
      await live(ui).filter({ hasText: 'Detail Check' }).click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      await detail.getByText('Payload').waitFor()
      const field = (name: string) => detail.locator(`[data-field="${name}"] dd`).innerText()
      expect(await field('userId')).toBe('d-1')
      expect(await field('anonymousId')).toBe('anon-d')
      expect(await field('messageId')).toBe('detail-msg-1')
      expect(await field('Library')).toBe('analytics-node 3.1.0')
      expect(await field('Page URL')).toBe('https://shop.example/cart')
      expect(await field('User agent')).toBe('Mozilla/5.0 (Loupe e2e)')
      // Personal data (an IP) is masked until revealed (privacy).
      expect(await field('IP')).toBe('10.1.•.•')
      for (const name of ['timestamp', 'originalTimestamp', 'sentAt', 'receivedAt']) expect(await field(name)).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}$/)
      expect(await field('Clock skew')).toMatch(/^\+5\.\d\d s/)
      expect(await detail.getByRole('region', { name: 'Warnings' }).innerText()).toMatch(/32 KB/)
      // The 40 KB string is cut, with a control to show it all.
      await detail.getByRole('button', { name: /Show all 40,960 characters/ }).waitFor()
      await screenshot(page, 'event-detail')

      // ↓ older, ↑ newer, Esc closes.
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => detail.locator('.detail-title').innerText()).toBe('Older One')
      await page.keyboard.press('ArrowUp')
      await page.keyboard.press('ArrowUp')
      await expect.poll(() => detail.locator('.detail-title').innerText()).toBe('Newer One')
      await page.keyboard.press('ArrowDown')
      await expect.poll(() => detail.locator('.detail-title').innerText()).toBe('Detail Check')
      expect(await live(ui).filter({ hasText: 'Detail Check' }).getAttribute('aria-selected')).toBe('true')
      await page.keyboard.press('Escape')
      await expect.poll(() => detail.count()).toBe(0)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('copies a path, a value, the event as curl (which works) and as analytics.track(...)', async () => {
    const ui = await liveUi()
    const { page } = ui
    try {
      await t.track('/v1/track', { event: 'Copy Me', userId: 'c-1', properties: { cart: { items: [{ sku: 'SKU-7', note: "Bob's cart" }] } } }, 'wk_copy')
      await live(ui).filter({ hasText: 'Copy Me' }).click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      await detail.getByText('Payload').waitFor()

      await detail.getByRole('button', { name: 'Expand properties.cart.items', exact: true }).click()
      await detail.getByRole('button', { name: 'Expand properties.cart.items[0]' }).click()
      await detail.getByRole('button', { name: 'Copy path properties.cart.items[0].sku' }).click()
      await expect.poll(() => readClipboard(page)).toBe('properties.cart.items[0].sku')
      await detail.getByRole('button', { name: 'Copy value of properties.cart.items[0].note' }).click()
      await expect.poll(() => readClipboard(page)).toBe("Bob's cart")

      await detail.getByRole('button', { name: 'Copy as analytics.track(...)' }).click()
      await expect.poll(() => readClipboard(page)).toMatch(/^analytics\.track\("Copy Me", \{\n {2}"cart"/)

      await detail.getByRole('button', { name: 'Copy as curl' }).click()
      await expect.poll(() => readClipboard(page)).toContain(`curl -u 'wk_copy:' '${t.baseUrl}/v1/track'`)
      // Run what was copied: it must be a working shell command that stores the event again. (Async:
      // the engine runs in this very process and must keep answering while curl waits.)
      await promisify(execFile)('sh', ['-c', `${await readClipboard(page)} --silent --fail`], { timeout: 10_000 })
      await expect.poll(async () => ((await t.get('/api/events?event=Copy%20Me')) as EventsPage).events.length).toBe(2)
      await live(ui).filter({ hasText: 'Copy Me' }).nth(1).waitFor()

      await detail.getByRole('button', { name: 'Raw JSON' }).click()
      expect(await detail.locator('pre.raw-json').innerText()).toContain(`"note": "Bob's cart"`)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('renders hostile payloads as text, never as HTML', async () => {
    const ui = await liveUi()
    const { page } = ui
    const dialogs: string[] = []
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message())
      void dialog.dismiss()
    })
    const xss = '<img src=x onerror=alert(1)>'
    try {
      await t.track('/v1/track', { event: xss, userId: '<b>bold</b>', properties: { html: xss, [xss]: 'key too' }, context: { userAgent: xss } }, 'wk_xss')
      const row = live(ui).filter({ hasText: xss })
      await row.waitFor()
      expect(await row.locator('.cell.user').innerText()).toBe('<b>bold</b>')
      await row.click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      await detail.getByText('Payload').waitFor()
      expect(await detail.locator('.detail-title').innerText()).toBe(xss)
      expect(await detail.locator('[data-field="User agent"] dd').innerText()).toBe(xss)
      expect(await detail.locator('[data-path="properties.html"] .json-string').innerText()).toBe(`"${xss}"`)
      await detail.getByText('key too').waitFor()
      await detail.getByRole('button', { name: 'Raw JSON' }).click()
      expect(await detail.locator('pre.raw-json').innerText()).toContain(`"html": "${xss}"`)
      await page.waitForTimeout(300) // an injected onerror would fire by now
      expect(await page.locator('img').count()).toBe(0)
      expect(await page.locator('b').count()).toBe(0)
      expect(dialogs).toEqual([])
      await screenshot(page, 'hostile-payload')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})

describe('analytics.js on a web page', () => {
  it('sends with the snippet copied from the Sources screen, and the events stream into Live', async () => {
    await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Web shop', writeKey: 'wk_web_shop' }) })
    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const card = page.getByRole('article', { name: 'Source Web shop' })
      await card.getByRole('button', { name: 'Show snippets' }).click()
      const snippet = await card.locator('.source-snippets pre').innerText()
      expect(snippet).toContain(`${t.baseUrl}/analytics.js/v1/`)

      await page.getByRole('link', { name: 'Live' }).click()
      await waitForStream(ui)
      const html = `<!doctype html><html><head><meta charset="utf-8"><title>Shop</title>\n${snippet}\n<script>analytics.track('Site Signup', { plan: 'pro' });</script></head><body><h1>Shop</h1></body></html>`
      const siteContext = await browser.newContext()
      try {
        const sitePage = await siteContext.newPage()
        await sitePage.goto(site.setPage('/shop.html', html), { waitUntil: 'load' })
        await sitePage.waitForFunction('window.analytics && window.analytics.initialized === true', undefined, { timeout: 15_000 })
        const signup = live(ui).filter({ hasText: 'Site Signup' })
        await signup.waitFor({ timeout: 15_000 })
        await expect.poll(() => signup.locator('.cell.source').innerText(), { timeout: 3000 }).toBe('Web shop')
        await live(ui).filter({ hasText: 'page' }).filter({ hasText: 'Web shop' }).first().waitFor()
      } finally {
        await siteContext.close()
      }
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
