// Routing in Chromium against a real engine: a webhook destination added through the UI (a server
// refusal shown at its field, a filter previewed live), events from analytics-node delivered to a
// loopback receiver and seen in the Deliveries screen and in the event's detail, a test event, the
// enable switch, and a replay of what was stored before the destination existed.

import { Analytics } from '@segment/analytics-node'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Destination, ReplayJob } from '../src-shared/api'
import { Receiver } from '../src-main/engine/routing/test-receiver'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, rows, screenshot } from './support/ui-session'

const WRITE_KEY = 'wk_routing_web'
let t: TestEngine
let browser: Browser
let receiver: Receiver

beforeAll(async () => {
  t = await startTestEngine()
  receiver = new Receiver()
  await receiver.listen()
  browser = await launchChromium()
  // Stored before any destination exists: the filter preview shows them, and only a replay sends them.
  await send([
    { event: 'Signed Up', userId: 'early-1' },
    { event: 'Debug', userId: 'early-2' }
  ])
})

afterAll(async () => {
  await browser?.close()
  await receiver?.close()
  await t?.stop()
})

async function send(events: { event: string; userId: string }[]): Promise<void> {
  const analytics = new Analytics({ writeKey: WRITE_KEY, host: t.baseUrl, flushInterval: 50, maxRetries: 3 })
  for (const e of events) analytics.track({ ...e, properties: { plan: 'pro' } })
  await analytics.closeAndFlush()
}

async function destinations(): Promise<Destination[]> {
  return (await t.get('/api/destinations')).destinations as Destination[]
}

const receivedNames = (): string[] => receiver.events().map((e) => e.event as string)

async function addWebhookThroughUi(page: Page): Promise<number> {
  await page.getByRole('link', { name: 'Add destination' }).click()
  await page.getByRole('list', { name: 'Built-in destinations' }).waitFor()
  await page.getByRole('searchbox', { name: 'Search the catalogue' }).fill('ampli')
  await page.getByRole('list', { name: 'Action destinations' }).getByRole('link').first().waitFor()
  await screenshot(page, 'destinations-add')

  await page.getByRole('link', { name: 'Webhook' }).click()
  const form = page.getByRole('form', { name: 'New destination' })
  await form.waitFor()
  await form.getByRole('textbox', { name: 'Name', exact: true }).fill('Receiver hook')
  // The engine refuses a non-http URL; its message shows at the URL field.
  await form.getByRole('textbox', { name: 'URL' }).fill('ftp://127.0.0.1/hook')
  const source = form.getByRole('group', { name: 'Connected sources' }).getByRole('checkbox', { name: WRITE_KEY })
  await expect.poll(() => source.isChecked()).toBe(true)
  await form.getByRole('button', { name: 'Create destination' }).click()
  await form.locator('[data-error-for="settings.url"]').waitFor()
  expect(await form.locator('[data-error-for="settings.url"]').innerText()).toMatch(/http/)

  await form.getByRole('textbox', { name: 'URL' }).fill(receiver.url)
  // Editing the field clears its error.
  await expect.poll(() => form.locator('[data-error-for="settings.url"]').count()).toBe(0)
  await form.getByRole('button', { name: 'Add filter' }).click()
  await form.getByRole('textbox', { name: 'Filter title' }).fill('Drop debug')
  await form.getByRole('textbox', { name: 'Filter condition' }).fill('event = "Debug"')
  // The live preview runs the filter over the stored events of the source.
  const preview = form.getByRole('complementary', { name: 'Filter preview' })
  await expect.poll(() => preview.locator('li[data-passes="false"]').count(), { timeout: 10_000 }).toBe(1)
  expect(await preview.locator('li[data-passes="false"]').innerText()).toContain('Debug')
  expect(await preview.locator('li[data-passes="true"]').innerText()).toContain('Signed Up')
  await screenshot(page, 'destination-form')

  await form.getByRole('button', { name: 'Create destination' }).click()
  await expect.poll(() => page.url()).toMatch(/\/destinations\/\d+\/deliveries$/)
  return Number(/\/destinations\/(\d+)\//.exec(page.url())![1])
}

describe('Destinations', () => {
  it('starts a file archive at two batches in flight and says its lines stay in order', async () => {
    const ui = await openUi(browser, t, '/destinations/new')
    const { page } = ui
    try {
      await page.getByRole('link', { name: 'File archive' }).click()
      const form = page.getByRole('form', { name: 'New destination' })
      await form.waitFor()
      const inFlight = form.getByRole('textbox', { name: 'Requests in flight' })
      expect(await inFlight.inputValue()).toBe('2')
      await expect.poll(() => form.innerText()).toContain('Lines are still written in order')
      await inFlight.scrollIntoViewIfNeeded()
      await screenshot(page, 'destination-file-form')
      await inFlight.fill('1')
      await expect.poll(() => form.innerText()).toContain('One request at a time')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('adds a webhook through the UI and shows deliveries, per-event status, a test event, the switch and a replay', async () => {
    const ui = await openUi(browser, t, '/destinations')
    const { page } = ui
    try {
      await page.getByText('No destinations yet').waitFor()
      const id = await addWebhookThroughUi(page)
      const saved = (await destinations()).find((d) => d.id === id)!
      expect(saved).toMatchObject({ name: 'Receiver hook', kind: 'webhook', settings: { url: receiver.url }, filters: [{ title: 'Drop debug', if: 'event = "Debug"', action: 'drop' }] })

      // Live delivery: events sent from now on reach the receiver, except the filtered one.
      await send([
        { event: 'Order Completed', userId: 'u-1' },
        { event: 'Debug', userId: 'u-1' }
      ])
      await expect.poll(receivedNames, { timeout: 15_000 }).toContain('Order Completed')
      const table = page.getByRole('table', { name: 'Delivery attempts' })
      const delivered = table.locator('tr.attempt-row[data-outcome="delivered"]').first()
      await delivered.waitFor({ timeout: 10_000 })
      await delivered.getByRole('button').click()
      await expect.poll(() => table.locator('.attempt-detail pre.sample').first().innerText()).toContain('Order Completed')
      await expect.poll(() => page.locator('[data-fact="pending"]').innerText(), { timeout: 10_000 }).toBe('0')
      // The chart counts the delivery (the metrics reload when the cursor moves).
      await expect.poll(() => page.getByRole('heading', { name: /^Last 1 hour/ }).innerText(), { timeout: 10_000 }).toMatch(/1 delivered/)
      expect(await page.locator('svg rect.bar-delivered[height]:not([height="0"])').count()).toBeGreaterThan(0)
      await screenshot(page, 'deliveries')

      // Event detail: the delivered event and the filtered one, with the filter's title as the reason.
      await ui.open('/events?event=Order%20Completed')
      await rows(page, 'Stored events').first().click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      const status = detail.locator(`.delivery-list li[data-destination-id="${id}"]`)
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('delivered')
      expect(await status.getByRole('link', { name: 'Receiver hook' }).getAttribute('href')).toBe(`/destinations/${id}/deliveries`)
      await screenshot(page, 'event-deliveries')
      await ui.open('/events?event=Debug')
      await rows(page, 'Stored events').first().click()
      await expect.poll(() => status.getAttribute('data-status'), { timeout: 10_000 }).toBe('filtered')
      expect(await status.innerText()).toContain('Drop debug')
      expect(receivedNames()).not.toContain('Debug')

      // Send test event: the exact request and response.
      await ui.open(`/destinations/${id}`)
      await page.getByRole('button', { name: 'Send test event' }).click()
      await page.locator('.test-result[data-ok="true"]').waitFor({ timeout: 10_000 })
      const blocks = page.locator('.test-result pre')
      expect(await blocks.nth(0).innerText()).toContain('"event": "Loupe Test Event"')
      expect(await blocks.nth(1).innerText()).toContain('"ok": true')
      await screenshot(page, 'destination-test')

      // The switch on the list.
      await page.getByRole('navigation').getByRole('link', { name: 'Destinations' }).click()
      const card = page.getByRole('article', { name: 'Destination Receiver hook' })
      await card.locator('.state-badge[data-state="idle"]').waitFor()
      await screenshot(page, 'destinations')
      await card.getByRole('switch', { name: 'Enabled: Receiver hook' }).click()
      await expect.poll(async () => (await destinations()).find((d) => d.id === id)?.enabled).toBe(false)
      await card.locator('.state-badge[data-state="disabled"]').waitFor()
      await card.getByRole('switch', { name: 'Enabled: Receiver hook' }).click()
      await expect.poll(async () => (await destinations()).find((d) => d.id === id)?.enabled).toBe(true)

      // Replay what was stored before the destination existed: dry run first, then for real.
      await page.getByRole('navigation').getByRole('link', { name: 'Replay' }).click()
      const replay = page.getByRole('form', { name: 'New replay' })
      await replay.getByRole('combobox', { name: 'Destination' }).selectOption(String(id))
      await replay.getByRole('textbox', { name: 'Where (FQL, optional)' }).fill('event = "Signed Up"')
      await replay.getByRole('button', { name: 'Dry run' }).click()
      await expect.poll(() => replay.getByRole('status').innerText(), { timeout: 10_000 }).toContain('1 event matches')
      expect(await replay.locator('.dry-run pre').first().innerText()).toContain('early-1')
      await screenshot(page, 'replay-dry-run')
      await replay.getByRole('button', { name: 'Start replay' }).click()
      const job = page.getByRole('list', { name: 'Replay jobs' }).getByRole('listitem').first()
      await expect.poll(() => job.getAttribute('data-state'), { timeout: 15_000 }).toBe('done')
      expect(await job.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('100')
      await expect.poll(() => receiver.events().some((e) => e.userId === 'early-1')).toBe(true)
      expect(receiver.events().some((e) => e.userId === 'early-2')).toBe(false)
      const jobs = (await t.get('/api/replays')).replays as ReplayJob[]
      expect(jobs[0]).toMatchObject({ destinationId: id, state: 'done', delivered: 1 })
      await screenshot(page, 'replay')
      // The one refusal was the ftp: URL (Chromium logs every 4xx answer as a console error).
      expect(ui.watch.requests.filter((r) => (r.status ?? 0) >= 400).map((r) => `${r.status} ${r.method} ${new URL(r.url).pathname}`)).toEqual(['400 POST /api/destinations'])
      await expectCleanConsole(ui.watch, [/status of 400 \(Bad Request\)/])
    } finally {
      await ui.close()
    }
  })

  it('generates an Action destination’s form from the catalogue: masked secrets, required marks, preset subscriptions', async () => {
    const ui = await openUi(browser, t, '/destinations/new')
    const { page } = ui
    try {
      await page.getByRole('searchbox', { name: 'Search the catalogue' }).fill('amplitude')
      await page.getByRole('list', { name: 'Action destinations' }).getByRole('link', { name: 'Actions Amplitude' }).click()
      const form = page.getByRole('form', { name: 'New destination' })
      await form.waitFor()
      expect(await form.getByRole('textbox', { name: 'Name', exact: true }).inputValue()).toBe('Actions Amplitude')
      expect(await form.locator('input[type="password"]').count()).toBeGreaterThan(0)
      expect(await form.locator('.required').count()).toBeGreaterThan(0)
      const subscriptions = form.getByRole('list', { name: 'Subscriptions' }).getByRole('listitem')
      expect(await subscriptions.count()).toBeGreaterThan(0)
      await subscriptions.first().getByRole('button', { name: 'Edit mapping (JSON)' }).click()
      expect(JSON.parse(await subscriptions.first().locator('textarea').inputValue())).toBeTypeOf('object')
      // Required settings left empty are reported at their inputs before anything is sent.
      await form.getByRole('button', { name: 'Create destination' }).click()
      expect(await form.locator('[data-error-for^="settings.settings."]').count()).toBeGreaterThan(0)
      await screenshot(page, 'destination-actions-form')
      expect((await destinations()).filter((d) => d.kind === 'actions')).toEqual([])
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
