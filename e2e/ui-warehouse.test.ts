// The PostgreSQL warehouse destination in Chromium against a real engine and a real PostgreSQL server: the
// connection test (a wrong database named at its input, then the right one), the schema per source, events
// from analytics-node landing in tables the Warehouse panel lists with their rows and columns, "Sync now"
// with a load interval of an hour, a type conflict, and the psql line copied.

import { Analytics } from '@segment/analytics-node'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination } from '../src-shared/api'
import { startTestPostgres, type TestPostgres } from '../src-main/engine/destinations/warehouse/test-postgres'
import { readJson, startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, readClipboard, screenshot } from './support/ui-session'

const WRITE_KEY = 'wk_checkout_web_ui'
let t: TestEngine
let pg: TestPostgres
let browser: Browser
let sourceId: number

beforeAll(async () => {
  pg = await startTestPostgres()
  t = await startTestEngine()
  browser = await launchChromium()
  const res = await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Checkout Web', writeKey: WRITE_KEY }) })
  sourceId = ((await readJson(res)) as { id: number }).id
}, 90_000)

afterAll(async () => {
  await browser?.close()
  await t?.stop()
  await pg?.destroy()
})

async function send(calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey: WRITE_KEY, host: t.baseUrl, flushInterval: 50, maxRetries: 3 })
  calls(analytics)
  await analytics.closeAndFlush()
}

/** The rows the panel shows for one table (0 while it is not listed). */
async function shownRows(page: Page, table: string): Promise<number> {
  const cell = page.getByRole('table', { name: 'Warehouse tables' }).locator(`tbody[data-table="${table}"] td[data-rows]`)
  return (await cell.count()) === 0 ? 0 : Number(await cell.getAttribute('data-rows'))
}

describe('Warehouse destination UI', () => {
  it('tests the connection, creates the warehouse, shows its tables filling up, syncs now and copies psql', async () => {
    const ui = await openUi(browser, t, '/destinations')
    const { page } = ui
    try {
      await page.getByRole('link', { name: 'Add destination' }).click()
      await page.getByRole('link', { name: 'PostgreSQL warehouse' }).click()
      const form = page.getByRole('form', { name: 'New destination' })
      await form.waitFor()
      await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Analytics warehouse')
      await form.getByRole('textbox', { name: 'Host' }).fill(pg.host)
      await form.getByRole('textbox', { name: 'Port' }).fill(String(pg.port))
      await form.getByRole('textbox', { name: 'Database' }).fill('no_such_db')
      await form.getByRole('textbox', { name: 'User' }).fill(pg.user)
      await form.getByRole('textbox', { name: 'Load every (seconds)' }).fill('3600')

      // A wrong database: the test says so and marks the Database input.
      await form.getByRole('button', { name: 'Test connection' }).click()
      const databaseError = form.locator('[data-error-for="settings.database"]')
      await databaseError.waitFor({ timeout: 15_000 })
      expect(await databaseError.innerText()).toMatch(/no_such_db/)
      expect(await form.locator('[data-test-result="failed"]').innerText()).toContain('check Database')
      expect(await form.getByRole('textbox', { name: 'Database' }).getAttribute('aria-invalid')).toBe('true')
      await screenshot(page, 'warehouse-test-failed')

      // Fixed: editing the field clears its error, and the test passes with the server's version.
      await form.getByRole('textbox', { name: 'Database' }).fill(pg.database)
      await expect.poll(() => databaseError.count()).toBe(0)
      await form.getByRole('button', { name: 'Test connection' }).click()
      await expect.poll(() => form.locator('[data-test-result="ok"]').count(), { timeout: 15_000 }).toBe(1)
      expect(await form.locator('[data-test-result="ok"]').innerText()).toMatch(/^Connected — PostgreSQL \d+/)
      await form.getByRole('button', { name: 'Test connection' }).scrollIntoViewIfNeeded()
      await screenshot(page, 'warehouse-test-ok')

      // The schema of the (only, so connected) source: Segment's name as the placeholder; a name not in
      // snake_case is refused at its input before anything is sent.
      const source = form.getByRole('group', { name: 'Connected sources' }).getByRole('checkbox', { name: 'Checkout Web' })
      await expect.poll(() => source.isChecked()).toBe(true)
      const schema = form.getByRole('textbox', { name: 'Schema for Checkout Web' })
      expect(await schema.getAttribute('placeholder')).toBe('checkout_web')
      await schema.fill('Checkout Web')
      await form.getByRole('button', { name: 'Create destination' }).click()
      const schemaError = form.locator(`[data-error-for="settings.schemas.${sourceId}"]`)
      await schemaError.waitFor()
      expect(await schemaError.innerText()).toContain('"checkout_web"')
      await screenshot(page, 'warehouse-form')
      await schema.fill('')
      await form.getByRole('button', { name: 'Create destination' }).click()

      // Saved: the destination's page shows the Warehouse panel.
      await expect.poll(() => page.url(), { timeout: 15_000 }).toMatch(/\/destinations\/\d+$/)
      const id = Number(/\/destinations\/(\d+)$/.exec(page.url())![1])
      const saved = ((await t.get('/api/destinations')).destinations as Destination[]).find((d) => d.id === id)!
      expect(saved).toMatchObject({ kind: 'warehouse', sourceIds: [sourceId], settings: { host: pg.host, port: pg.port, database: pg.database, loadIntervalSeconds: 3600, schemas: { [String(sourceId)]: 'checkout_web' } } })
      const panel = page.getByRole('region', { name: 'Warehouse', exact: true })
      await panel.locator('[data-fact="reachable"][data-reachable="true"]').waitFor({ timeout: 15_000 })
      await panel.getByText('No tables yet').waitFor()

      // The first events load at once (no load yet this hour); names come from events, shown as text only.
      await send((a) => {
        a.track({ userId: 'u-1', event: 'Order Completed', properties: { total: 12.5, currency: 'EUR', shipping: { method: 'express' } } })
        a.track({ userId: 'u-1', event: '<img src=x onerror=alert(1)>', properties: { '<b>bold</b>': 1 } })
        a.identify({ userId: 'u-1', traits: { email: 'ada@example.com', plan: 'pro' } })
        a.page({ anonymousId: 'a-1', name: 'Cart', properties: { title: 'Your cart' } })
      })
      await expect.poll(() => shownRows(page, 'checkout_web.order_completed'), { timeout: 20_000 }).toBe(1)
      await expect.poll(() => shownRows(page, 'checkout_web.pages'), { timeout: 10_000 }).toBe(1)
      expect(await shownRows(page, 'checkout_web.tracks')).toBe(2)
      expect(await shownRows(page, 'checkout_web.identifies')).toBe(1)
      expect(await shownRows(page, 'checkout_web.users')).toBe(1)
      const tables = panel.getByRole('table', { name: 'Warehouse tables' })
      expect(await tables.locator('tbody[data-table="checkout_web.order_completed"] td').nth(2).innerText()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d · 1 row$/)
      expect(await panel.locator('img, b').count()).toBe(0)

      // The schema browser: a table opens to its columns and their types.
      await tables.getByRole('button', { name: 'checkout_web.order_completed' }).click()
      const columns = panel.getByRole('list', { name: 'Columns of checkout_web.order_completed' })
      await columns.waitFor()
      const typeOf = async (name: string): Promise<string> => columns.locator('li', { has: page.locator('.column-name', { hasText: new RegExp(`^${name}$`) }) }).locator('.column-type').innerText()
      expect(await typeOf('total')).toBe('double precision')
      expect(await typeOf('currency')).toBe('text')
      expect(await typeOf('shipping_method')).toBe('text')
      expect(await typeOf('received_at')).toBe('timestamp with time zone')
      await screenshot(page, 'warehouse-panel')

      // More events wait for the hourly load; "Sync now" loads them, a type conflict among them.
      await send((a) => {
        a.track({ userId: 'u-2', event: 'Order Completed', properties: { total: 30, currency: 'GBP' } })
        a.track({ userId: 'u-3', event: 'Order Completed', properties: { total: 'lots', currency: 'USD' } })
      })
      await expect.poll(() => panel.locator('[data-fact="next-load"]').innerText(), { timeout: 15_000 }).toMatch(/\(in \d+ min\)/)
      expect(await shownRows(page, 'checkout_web.order_completed')).toBe(1)
      await panel.getByRole('button', { name: 'Sync now' }).click()
      await panel.getByRole('status').filter({ hasText: 'Sync requested at' }).waitFor()
      await expect.poll(() => shownRows(page, 'checkout_web.order_completed'), { timeout: 20_000 }).toBe(3)
      const lastLoad = tables.locator('tbody[data-table="checkout_web.order_completed"] td').nth(2)
      await expect.poll(() => lastLoad.innerText(), { timeout: 10_000 }).toMatch(/ · 2 rows$/)
      expect(await panel.locator('[data-fact="next-load"]').innerText()).toBe('nothing waiting · loads every 60 min')
      const conflicts = panel.getByRole('table', { name: 'Type conflicts' })
      await expect.poll(() => conflicts.locator('tbody tr').count(), { timeout: 10_000 }).toBe(1)
      expect(await conflicts.locator('tbody tr').innerText()).toMatch(/checkout_web\.order_completed\.total[\s\S]*total_text[\s\S]*double precision/)

      // The psql line, ready to copy (no password in it).
      const psql = `psql "host=${pg.host} port=${pg.port} dbname=${pg.database} user=${pg.user}"`
      expect(await panel.locator('.code-block pre').innerText()).toBe(psql)
      await panel.getByRole('button', { name: 'Copy psql command' }).click()
      await expect.poll(() => readClipboard(page)).toBe(psql)
      await panel.scrollIntoViewIfNeeded()
      await screenshot(page, 'warehouse-synced')

      // The destinations list links to the panel.
      await page.getByRole('navigation').getByRole('link', { name: 'Destinations' }).click()
      const card = page.getByRole('article', { name: 'Destination Analytics warehouse' })
      await screenshot(page, 'warehouse-card')
      await card.getByRole('link', { name: 'Warehouse tables of Analytics warehouse' }).click()
      await expect.poll(() => page.url()).toMatch(new RegExp(`/destinations/${id}$`))
      await page.getByRole('region', { name: 'Warehouse', exact: true }).waitFor()
      await expect.poll(() => shownRows(page, 'checkout_web.order_completed'), { timeout: 10_000 }).toBe(3)

      // Editing: the engine pinned the schema on save, and the saved settings test again as they are.
      const edit = page.getByRole('form', { name: 'Edit Analytics warehouse' })
      expect(await edit.getByRole('textbox', { name: 'Schema for Checkout Web' }).inputValue()).toBe('checkout_web')
      await edit.getByRole('button', { name: 'Test connection' }).click()
      await expect.poll(() => edit.locator('[data-test-result="ok"]').count(), { timeout: 15_000 }).toBe(1)

      // The warehouse going away shows as unreachable, with PostgreSQL's reason; it recovers by itself.
      const warehouse = page.getByRole('region', { name: 'Warehouse', exact: true })
      await pg.stop()
      await warehouse.locator('[data-fact="reachable"][data-reachable="false"]').waitFor({ timeout: 15_000 })
      expect(await warehouse.locator('.last-error-text').innerText()).toMatch(/ECONNREFUSED|connect/i)
      await warehouse.scrollIntoViewIfNeeded()
      await screenshot(page, 'warehouse-unreachable')
      await pg.start()
      await warehouse.locator('[data-fact="reachable"][data-reachable="true"]').waitFor({ timeout: 15_000 })
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  }, 180_000)
})
