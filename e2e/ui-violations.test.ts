// Validation at ingest in Chromium against a real engine: a source with a tracking plan receives real
// analytics-node traffic; the Violations screen groups what broke and marks the field in a sample; the
// event detail lists violations and marks them in the payload; Live shows violation badges and filters
// to violations only; the Enforcement panel saves, the Schema panel blocks an event, and held events
// are released from the Quarantine panel and from the event detail.

import { Analytics } from '@segment/analytics-node'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { EventRecord, EventsPage, Source } from '../src-shared/api'
import type { SourceEnforcement } from '../src-shared/enforcement'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, rows, screenshot, waitForStream } from './support/ui-session'

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

const ORDER_RULE = {
  type: 'TRACK',
  key: 'Order Completed',
  jsonSchema: {
    type: 'object',
    properties: {
      properties: {
        type: 'object',
        properties: { total: { type: 'number' }, currency: { type: 'string', enum: ['EUR', 'USD'] } },
        required: ['currency']
      }
    }
  }
}

async function json<T>(res: Response, status = 200): Promise<T> {
  const body = await res.text()
  expect(res.status, body).toBe(status)
  return JSON.parse(body) as T
}

/** A source (fixed write key) connected to a plan with the Order Completed rule. */
async function sourceWithPlan(writeKey: string): Promise<Source> {
  const source = await json<Source>(await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: writeKey, writeKey }) }), 201)
  await json(await t.admin('/api/plans', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: `${writeKey} plan`, sourceIds: [source.id], rules: [ORDER_RULE] }) }), 201)
  return source
}

async function send(writeKey: string, calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey, host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
  calls(analytics)
  await analytics.closeAndFlush()
}

const eventsOf = async (query: string): Promise<EventsPage> => (await t.get(`/api/events?${query}`)) as EventsPage
const putEnforcement = async (sourceId: number, body: Partial<SourceEnforcement>): Promise<SourceEnforcement> =>
  json(await t.admin(`/api/sources/${sourceId}/enforcement`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }))

describe('Violations and enforcement in the UI', () => {
  let shop: Source

  beforeAll(async () => {
    shop = await sourceWithPlan('wk_violations_shop')
    await send('wk_violations_shop', (a) => {
      a.track({ userId: 'u-1', event: 'Order Completed', properties: { total: 'lots', currency: 'EUR' } })
      a.track({ userId: 'u-2', event: 'Order Completed', properties: { total: 5, currency: 'GBP' } })
      a.track({ userId: 'u-3', event: 'Order Completed', properties: { total: 3 } })
      a.track({ userId: 'u-4', event: 'Order Completed', properties: { total: 9, currency: 'USD' } })
      a.track({ userId: 'u-5', event: 'Debug Ping', properties: {} })
    })
    // The analytics client flushed: its events are committed, and violations are stored with them.
    await vi.waitFor(async () => expect((await eventsOf(`source=${shop.id}&violations=1`)).events.length).toBe(4))
  })

  it('groups violations by event and kind, charts them, and marks the field in a sample', async () => {
    const ui = await openUi(browser, t, '/violations')
    const { page } = ui
    try {
      const table = page.getByRole('table', { name: 'Violations by event and kind' })
      const order = table.locator('tbody[data-event="Order Completed"]')
      await order.locator('tr[data-kind="wrong_type"]').waitFor({ timeout: 10_000 })
      expect(await order.locator('tr[data-kind]').evaluateAll((trs) => trs.map((tr) => `${tr.getAttribute('data-kind')} ${tr.getAttribute('data-pointer')}`).sort())).toEqual([
        'missing_required /properties/currency',
        'not_allowed /properties/currency',
        'wrong_type /properties/total'
      ])
      expect(await table.locator('tbody[data-event="Debug Ping"] tr[data-kind="unplanned_event"]').count()).toBe(1)
      expect(await page.getByTestId('events-with-violations').locator('dd').innerText()).toBe('4')
      const wrongType = order.locator('tr[data-kind="wrong_type"]')
      expect(await wrongType.innerText()).toContain('number')
      // The trend's numbers are its accessible name: one event in the newest bucket.
      const trend = (await wrongType.getByRole('img').getAttribute('aria-label'))!
      expect(trend).toMatch(/^Trend per 1 hour, oldest first: \d+(, \d+)*$/)
      expect(trend.split(': ')[1]!.split(', ').map(Number).reduce((a, b) => a + b)).toBe(1)

      // One source picked: the same groups, without "on <source>".
      await page.getByRole('combobox', { name: 'Source' }).selectOption({ label: 'wk_violations_shop' })
      await expect.poll(() => page.url()).toContain(`source=${shop.id}`)
      await page.getByRole('group', { name: 'Range' }).getByRole('button', { name: 'Last hour' }).click()
      await expect.poll(() => page.url()).toContain('range=1h')
      await order.locator('tr[data-kind="wrong_type"]').waitFor()

      await wrongType.getByRole('button', { name: 'Sample 1' }).click()
      const sample = page.getByRole('complementary', { name: 'Sample event' })
      const total = sample.locator('[data-pointer="/properties/total"][data-highlighted="true"]')
      await total.waitFor()
      expect(await total.locator('.json-line').first().innerText()).toContain('"lots"')
      expect(await total.locator('.json-line.focused').count()).toBe(1)
      await screenshot(page, 'violations-sample')

      // A missing field shows where it belongs.
      await order.locator('tr[data-kind="missing_required"]').getByRole('button', { name: 'Sample 1' }).click()
      await sample.locator('[data-pointer="/properties/currency"][data-missing="true"]').waitFor()
      expect(await sample.locator('[data-missing="true"]').innerText()).toContain('(missing)')
      await screenshot(page, 'violations-missing')

      // "Show events": the Events screen filtered to the group's event with violations.
      await order.getByRole('link', { name: 'Show events: Order Completed' }).click()
      await expect.poll(() => page.url()).toContain(`/events?source=${shop.id}&event=Order+Completed&violations=1&range=1h`)
      await expect.poll(() => rows(page, 'Stored events').count()).toBe(3)
      expect(await page.getByRole('checkbox', { name: 'Violations only' }).isChecked()).toBe(true)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('lists the violations of an event in its detail and marks the one picked in the payload', async () => {
    const ui = await openUi(browser, t, `/events?source=${shop.id}&violations=1`)
    const { page } = ui
    try {
      const row = rows(page, 'Stored events').filter({ hasText: 'u-1' })
      await row.waitFor()
      expect(await row.getByRole('img', { name: '1 violation' }).count()).toBe(1)
      await row.click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      const list = detail.getByRole('list', { name: 'Violations' })
      await list.waitFor()
      const violation = list.getByRole('button').first()
      expect(await violation.innerText()).toMatch(/wrong type[\s\S]*\/properties\/total[\s\S]*expected number/)
      await violation.click()
      expect(await violation.getAttribute('aria-pressed')).toBe('true')
      const field = detail.getByRole('tree', { name: 'Payload' }).locator('[data-pointer="/properties/total"]')
      await field.locator('.json-line.highlighted.focused').waitFor()
      expect(await field.locator('.json-flag').innerText()).toBe('wrong type')
      await screenshot(page, 'violations-detail')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('badges violations in Live and filters to violations only', async () => {
    await sourceWithPlan('wk_violations_live')
    const ui = await openUi(browser, t, '/live')
    const { page } = ui
    try {
      await waitForStream(ui)
      await send('wk_violations_live', (a) => {
        a.track({ userId: 'live-bad', event: 'Order Completed', properties: { total: 'x', currency: 'JPY' } })
        a.track({ userId: 'live-good', event: 'Order Completed', properties: { total: 1, currency: 'EUR' } })
      })
      const live = rows(page, 'Live events')
      const bad = live.filter({ hasText: 'live-bad' })
      await bad.getByRole('img', { name: '2 violations' }).waitFor()
      const good = live.filter({ hasText: 'live-good' })
      await good.waitFor()
      expect(await good.getByRole('img').count()).toBe(0)
      await screenshot(page, 'violations-live')

      await page.getByRole('checkbox', { name: 'Violations only' }).check()
      await waitForStream(ui, 'violations=1')
      await send('wk_violations_live', (a) => {
        a.track({ userId: 'live-good-2', event: 'Order Completed', properties: { total: 2, currency: 'USD' } })
        a.track({ userId: 'live-bad-2', event: 'Order Completed', properties: { total: 2 } })
      })
      await live.filter({ hasText: 'live-bad-2' }).getByRole('img', { name: '1 violation' }).waitFor()
      // The backfill and the stream both obey the filter: no clean event is shown.
      expect(await live.filter({ hasText: 'live-good' }).count()).toBe(0)
      expect(await live.allInnerTexts()).toEqual(expect.arrayContaining([expect.stringContaining('live-bad')]))
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('saves enforcement from the source page and blocks an event from its schema', async () => {
    const other = await json<Source>(await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'wk_violations_sink', writeKey: 'wk_violations_sink' }) }), 201)
    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const card = page.getByRole('article', { name: 'Source wk_violations_shop' })
      await card.getByRole('button', { name: 'Enforcement' }).click()
      const form = card.getByRole('form', { name: 'Enforcement settings of wk_violations_shop' })
      await form.getByRole('combobox', { name: 'Violations', exact: true }).waitFor()
      expect(await form.getByRole('combobox', { name: 'Violations', exact: true }).inputValue()).toBe('allow')
      await form.getByRole('combobox', { name: 'Violations', exact: true }).selectOption('block')
      await form.getByRole('combobox', { name: 'Unplanned properties' }).selectOption('omit')
      await form.getByRole('combobox', { name: 'Forward violations to' }).selectOption({ label: 'wk_violations_sink' })
      await screenshot(page, 'enforcement-panel')
      await form.getByRole('button', { name: 'Save' }).click()
      await form.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
      expect(await t.get(`/api/sources/${shop.id}/enforcement`)).toEqual({ unplannedEvents: 'allow', unplannedProperties: 'omit', violations: 'block', blockedEvents: [], forwardViolationsTo: other.id })

      // "Block this event" in the schema; the Enforcement panel lists it at once.
      await card.getByRole('button', { name: 'Schema' }).click()
      const schema = card.getByRole('table', { name: 'Events seen on wk_violations_shop' })
      await schema.getByRole('button', { name: 'Block Debug Ping' }).click()
      await schema.locator('tbody[data-event="Debug Ping"][data-blocked="true"]').getByText('blocked', { exact: true }).waitFor()
      expect(((await t.get(`/api/sources/${shop.id}/enforcement`)) as SourceEnforcement).blockedEvents).toEqual(['Debug Ping'])
      await form.getByRole('list', { name: 'Blocked events' }).getByText('Debug Ping').waitFor()
      await screenshot(page, 'enforcement-blocked')

      // Unblock from the schema, block again from the panel's list and remove it there.
      await schema.getByRole('button', { name: 'Unblock Debug Ping' }).click()
      await expect.poll(async () => ((await t.get(`/api/sources/${shop.id}/enforcement`)) as SourceEnforcement).blockedEvents).toEqual([])
      await form.getByRole('textbox', { name: 'Event name to block' }).fill('Debug Ping')
      await form.getByRole('button', { name: 'Block', exact: true }).click()
      await form.getByRole('button', { name: 'Save' }).click()
      await expect.poll(async () => ((await t.get(`/api/sources/${shop.id}/enforcement`)) as SourceEnforcement).blockedEvents).toEqual(['Debug Ping'])
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('releases held events from the Quarantine panel and from the event detail', async () => {
    const source = await sourceWithPlan('wk_violations_held')
    await putEnforcement(source.id, { violations: 'block', blockedEvents: ['Debug Ping'] })
    await send('wk_violations_held', (a) => {
      a.track({ userId: 'held-1', event: 'Order Completed', properties: { total: 'x', currency: 'EUR' } })
      a.track({ userId: 'held-2', event: 'Debug Ping' })
      a.track({ userId: 'held-3', event: 'Order Completed', properties: { total: 1 } })
      a.track({ userId: 'free-1', event: 'Order Completed', properties: { total: 1, currency: 'EUR' } })
    })
    await expect.poll(async () => (await eventsOf(`source=${source.id}&quarantined=1`)).events.length).toBe(3)

    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const card = page.getByRole('article', { name: 'Source wk_violations_held' })
      await card.getByRole('button', { name: 'Quarantine' }).click()
      const panel = card.getByRole('region', { name: 'Quarantine of wk_violations_held' })
      const held = panel.getByRole('table', { name: 'Held events of wk_violations_held' })
      await expect.poll(() => held.locator('tbody tr').count()).toBe(3)
      await screenshot(page, 'quarantine-panel')
      const ping = held.locator('tbody tr').filter({ hasText: 'Debug Ping' })
      const pingId = await ping.getAttribute('data-event-id')
      await ping.getByRole('button', { name: /^Release / }).click()
      await panel.getByRole('status').filter({ hasText: 'Released 1 event' }).waitFor()
      await expect.poll(() => held.locator('tbody tr').count()).toBe(2)
      expect(((await t.get(`/api/events/${pingId}`)) as EventRecord).quarantine).toBe('released')

      // From the event detail: the reason, then Release.
      await ui.open(`/events?source=${source.id}&quarantined=1`)
      const row = rows(page, 'Stored events').filter({ hasText: 'held-1' })
      await row.getByRole('img', { name: 'held' }).waitFor()
      await row.click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      const state = detail.locator('.quarantine-state[data-quarantine="held"]')
      await state.waitFor()
      expect(await state.innerText()).toMatch(/Blocked because: .+/)
      await screenshot(page, 'quarantine-detail')
      await state.getByRole('button', { name: 'Release' }).click()
      await detail.locator('.quarantine-state[data-quarantine="released"]').waitFor()
      await row.getByRole('img', { name: 'held' }).waitFor({ state: 'detached' })
      const id = await detail.getAttribute('data-event-id')
      expect(((await t.get(`/api/events/${id}`)) as EventRecord).quarantine).toBe('released')

      // "Release all" empties what is left.
      await ui.open('/sources')
      await card.getByRole('button', { name: 'Quarantine' }).click()
      await expect.poll(() => held.locator('tbody tr').count()).toBe(1)
      await panel.getByRole('button', { name: 'Release all' }).click()
      await ui.page.getByRole('dialog', { name: 'Release 1 held event?' }).getByRole('button', { name: 'Release and deliver' }).click()
      await panel.getByRole('status').filter({ hasText: 'Released 1 event' }).waitFor()
      await panel.getByText('No event is held.').waitFor()
      expect((await eventsOf(`source=${source.id}&quarantined=1`)).events).toEqual([])
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
