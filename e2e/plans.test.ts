// Tracking plans in Chromium against a real engine: a plan inferred from traffic, reviewed and saved;
// edited in the property table (allowed values, pattern, a new property) and in the raw JSON Schema
// (an "advanced" property the table keeps untouched); its versions diffed; Segment JSON imported with a
// refusal named; the source's Schema view with planned/unplanned badges and "add to plan"; re-validation.

import { Analytics } from '@segment/analytics-node'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { TrackingPlan } from '../src-shared/plans'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, screenshot } from './support/ui-session'

const WRITE_KEY = 'wk_plans_web'
let t: TestEngine
let browser: Browser

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  const analytics = new Analytics({ writeKey: WRITE_KEY, host: t.baseUrl, flushInterval: 50, maxRetries: 3 })
  analytics.track({ userId: 'u-1', event: 'Order Completed', properties: { total: 12.5, currency: 'EUR', order_id: 'ord_1' } })
  analytics.track({ userId: 'u-2', event: 'Order Completed', properties: { total: 30, currency: 'GBP', order_id: 'x_2' } })
  analytics.track({ userId: 'u-1', event: 'Signed Up', properties: { plan: 'pro' } })
  await analytics.closeAndFlush()
})

afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

const plans = async (): Promise<TrackingPlan[]> => (await t.get('/api/plans')).plans as TrackingPlan[]
const trackSchema = (plan: TrackingPlan, event: string): any => plan.rules.find((r) => r.type === 'TRACK' && r.key === event)?.jsonSchema

async function openRule(page: Page, event: string) {
  await page.getByRole('navigation', { name: 'Rules' }).getByRole('button', { name: new RegExp(event) }).click()
  return page.getByRole('region', { name: `Rule ${event}` })
}

describe('Tracking plans', () => {
  it('infers a plan, edits it as a table and as JSON, and diffs its versions', async () => {
    const ui = await openUi(browser, t, '/plans')
    const { page } = ui
    try {
      await page.getByText('No tracking plans yet').waitFor()
      const infer = page.getByRole('region', { name: 'Infer from traffic' })
      await expect.poll(() => infer.getByRole('combobox', { name: 'Infer source' }).locator('option').allInnerTexts()).toContain(WRITE_KEY)
      await screenshot(page, 'plans-empty')
      await infer.getByRole('button', { name: 'Infer plan' }).click()

      // The draft opens in the editor: nothing is saved yet.
      await expect.poll(() => page.url()).toMatch(/\/plans\/new$/)
      const editor = page.getByRole('form', { name: 'Plan editor' })
      await editor.getByText(/^Inferred from/).waitFor()
      const rule = await openRule(page, 'Order Completed')
      const table = rule.getByRole('table', { name: 'Properties of Order Completed' })
      await table.locator('tr[data-property="currency"]').waitFor()
      expect(await table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-property')))).toEqual(expect.arrayContaining(['total', 'currency', 'order_id']))
      expect(await plans()).toEqual([])
      await editor.getByRole('textbox', { name: 'Plan name' }).fill('Web plan')
      await editor.getByRole('group', { name: 'Connected sources' }).getByRole('checkbox', { name: WRITE_KEY }).check()
      await screenshot(page, 'plan-draft')
      await editor.getByRole('button', { name: 'Create plan' }).click()
      await expect.poll(() => page.url()).toMatch(/\/plans\/\d+$/)
      const id = Number(/\/plans\/(\d+)$/.exec(page.url())![1])
      const created = (await plans()).find((p) => p.id === id)!
      expect(created).toMatchObject({ name: 'Web plan', version: 1, sourceIds: [expect.any(Number)] })
      expect(trackSchema(created, 'Signed Up')).toBeTruthy()

      // Table edits: allowed values, a pattern, a new required property.
      const edit = await openRule(page, 'Order Completed')
      const rows = edit.getByRole('table', { name: 'Properties of Order Completed' })
      const currency = rows.locator('tr[data-property="currency"]')
      await currency.getByRole('textbox', { name: 'Allowed values' }).fill('EUR, USD')
      await rows.locator('tr[data-property="order_id"]').getByRole('textbox', { name: 'Pattern' }).fill('^ord_')
      await edit.getByRole('button', { name: 'Add property' }).click()
      const added = rows.locator('tbody tr').last()
      await added.getByRole('textbox', { name: 'Property name' }).fill('coupon')
      await added.getByRole('checkbox', { name: 'Required' }).check()
      // A bad pattern blocks saving and says why at its cell.
      await added.getByRole('textbox', { name: 'Pattern' }).fill('(')
      await added.getByRole('alert').filter({ hasText: 'Not a valid regular expression' }).waitFor()
      expect(await page.getByRole('button', { name: 'Save plan' }).isDisabled()).toBe(true)
      await added.getByRole('textbox', { name: 'Pattern' }).fill('')
      await page.getByRole('textbox', { name: 'Change note' }).fill('Currencies and coupon')
      await screenshot(page, 'plan-table')
      await page.getByRole('button', { name: 'Save plan' }).click()
      await page.getByRole('status').filter({ hasText: 'Saved as version 2' }).waitFor()
      const v2 = trackSchema((await plans()).find((p) => p.id === id)!, 'Order Completed').properties.properties
      expect(v2.properties.currency).toMatchObject({ type: 'string', enum: ['EUR', 'USD'] })
      expect(v2.properties.order_id).toMatchObject({ type: 'string', pattern: '^ord_' })
      expect(v2.properties.coupon).toEqual({ type: 'string' })
      expect(v2.required).toContain('coupon')

      // Raw JSON: a property the table cannot express shows as "advanced" and survives a table edit.
      await edit.getByRole('button', { name: 'JSON Schema' }).click()
      const json = edit.getByRole('textbox', { name: 'JSON Schema of Order Completed' })
      const schema = JSON.parse(await json.inputValue())
      schema.properties.properties.properties.items = { type: 'array', items: { type: 'object', required: ['sku'] } }
      await json.fill(JSON.stringify(schema, null, 2))
      await edit.getByRole('button', { name: 'Table' }).click()
      await rows.locator('tr[data-property="items"][data-advanced="true"]').waitFor()
      await rows.locator('tr[data-property="total"]').getByRole('textbox', { name: 'Description' }).fill('Order total in the currency')
      await screenshot(page, 'plan-advanced')
      await page.getByRole('button', { name: 'Save plan' }).click()
      await page.getByRole('status').filter({ hasText: 'Saved as version 3' }).waitFor()
      const v3 = trackSchema((await plans()).find((p) => p.id === id)!, 'Order Completed').properties.properties.properties
      expect(v3.items).toEqual({ type: 'array', items: { type: 'object', required: ['sku'] } })
      expect(v3.total.description).toBe('Order total in the currency')

      expect(await page.getByRole('link', { name: 'Export JSON' }).getAttribute('href')).toBe(`/api/plans/${id}/export`)

      // Versions: v2 → v3 by default; pick v1 → v3 and see the currencies added.
      await page.getByRole('link', { name: 'Versions and diff' }).click()
      const versions = page.getByRole('table', { name: 'Plan versions' })
      await versions.locator('tr[data-version="3"]').waitFor()
      expect(await versions.locator('tr[data-version="2"]').innerText()).toContain('Currencies and coupon')
      await page.getByRole('radio', { name: 'From v1' }).check()
      const diff = page.getByLabel('Diff')
      await expect.poll(() => diff.locator('.diff-add').allInnerTexts(), { timeout: 10_000 }).toEqual(expect.arrayContaining([expect.stringContaining('"USD"')]))
      expect(await page.getByRole('list', { name: 'Rule changes' }).innerText()).toContain('changed Order Completed')
      await screenshot(page, 'plan-versions')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('imports Segment JSON, naming a bad rule, and exports it again', async () => {
    const ui = await openUi(browser, t, '/plans')
    const { page } = ui
    try {
      const panel = page.getByRole('region', { name: 'Import a plan' })
      await panel.getByRole('textbox', { name: 'Plan JSON' }).fill(JSON.stringify({ name: 'Broken', rules: [{ type: 'TRACK', key: 'A', jsonSchema: { type: 'nope' } }] }))
      await panel.getByRole('button', { name: 'Import' }).click()
      await expect.poll(() => panel.getByRole('alert').innerText()).toMatch(/rules\[0\]/)
      await screenshot(page, 'plan-import-error')

      const file = {
        name: 'Mobile',
        rules: [
          { type: 'TRACK', key: 'App Opened', version: 1, jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { properties: { type: 'object', properties: { from_background: { type: 'boolean' } }, required: [] } } } },
          { type: 'IDENTIFY', jsonSchema: { type: 'object', properties: { traits: { type: 'object', properties: { email: { type: 'string' } }, required: ['email'] } } } }
        ]
      }
      await panel.getByRole('textbox', { name: 'Plan JSON' }).fill(JSON.stringify(file))
      await panel.getByRole('button', { name: 'Import' }).click()
      await expect.poll(() => page.url()).toMatch(/\/plans\/\d+$/)
      const id = Number(/\/plans\/(\d+)$/.exec(page.url())![1])
      const identify = await openRule(page, 'Identify traits')
      await identify.getByRole('table', { name: 'Properties of Identify traits' }).locator('tr[data-property="email"]').waitFor()
      expect(await identify.locator('tr[data-property="email"]').getByRole('checkbox', { name: 'Required' }).isChecked()).toBe(true)
      await screenshot(page, 'plan-imported')
      const exported = (await (await t.admin(`/api/plans/${id}/export`)).json()) as { rules: { type: string; key?: string }[] }
      expect(exported.rules.map((r: { type: string; key?: string }) => r.key ?? r.type)).toEqual(expect.arrayContaining(['App Opened', 'IDENTIFY']))
      await expectCleanConsole(ui.watch, [/status of 400 \(Bad Request\)/])
    } finally {
      await ui.close()
    }
  })

  it('shows what a source sends with planned/unplanned badges, adds an event to the plan, and re-validates', async () => {
    const source = ((await t.get('/api/sources')).sources as { id: number; name: string }[]).find((s) => s.name === WRITE_KEY)!
    const res = await t.admin('/api/plans', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Strict',
        sourceIds: [source.id],
        rules: [{ type: 'TRACK', key: 'Order Completed', jsonSchema: { type: 'object', properties: { properties: { type: 'object', properties: { currency: { type: 'string', enum: ['EUR'] } }, required: ['currency'] } } } }]
      })
    })
    expect(res.status).toBe(201)
    const plan = (await res.json()) as TrackingPlan
    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const card = page.getByRole('article', { name: `Source ${WRITE_KEY}` })
      await card.getByRole('button', { name: 'Schema' }).click()
      const events = card.getByRole('table', { name: `Events seen on ${WRITE_KEY}` })
      await events.locator('tbody[data-event="Order Completed"][data-planned="true"]').waitFor({ timeout: 10_000 })
      const signedUp = events.locator('tbody[data-event="Signed Up"]')
      expect(await signedUp.getAttribute('data-planned')).toBe('false')
      await events.getByRole('button', { name: 'track Order Completed', exact: true }).click()
      await card.getByRole('table', { name: 'Properties of Order Completed' }).getByText('currency').waitFor()
      await screenshot(page, 'source-schema')
      await signedUp.getByRole('button', { name: 'Add Signed Up to plan' }).click()
      await events.locator('tbody[data-event="Signed Up"][data-planned="true"]').waitFor({ timeout: 10_000 })
      const saved = (await t.get(`/api/plans/${plan.id}`)) as TrackingPlan
      expect(saved.version).toBe(2)
      expect(trackSchema(saved, 'Signed Up').properties.properties.properties.plan).toEqual({ type: 'string' })

      // Re-validate: GBP is not allowed; the run groups it under Order Completed.
      await ui.open(`/plans/${plan.id}`)
      const panel = page.getByRole('region', { name: 'Re-validate' })
      await panel.getByRole('button', { name: 'Re-validate' }).click()
      await panel.locator('.revalidate-result[data-state="done"]').waitFor({ timeout: 20_000 })
      const groups = panel.getByRole('table', { name: 'Violations by event and kind' })
      expect(await groups.locator('tr[data-kind="not_allowed"]').innerText()).toContain('Order Completed')
      await screenshot(page, 'plan-revalidate')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
