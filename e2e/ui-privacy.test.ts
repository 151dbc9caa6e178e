// Privacy in Chromium against a real engine: analytics-node traffic carrying an email, a phone number and
// a card number (and a product id full of digits, which is no card). The inventory lists the fields with
// their class and what the connected webhook receives; the inbox triages them; matchers are reclassified
// and a custom one refused then added; the controls matrix saves and a loopback receiver gets the card
// dropped and the email hashed; a source blocks red data into quarantine; Events and Live flag rows with
// personal data and filter to them; the event detail masks values until revealed; a user is suppressed,
// unsuppressed, and their data deleted through the confirmation dialog.

import { createHash, createHmac } from 'node:crypto'
import { Analytics } from '@segment/analytics-node'
import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import type { Destination, EventsPage, Source } from '../src-shared/api'
import type { Deletion, PiiInventory, PrivacySettings, SourcePrivacy, Suppression } from '../src-shared/privacy'
import { Receiver } from '../src-main/engine/routing/test-receiver'
import { basicAuth, startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, rows, screenshot, waitForStream } from './support/ui-session'

const SHOP = 'wk_privacy_shop'
const BLOCKING = 'wk_privacy_block'
/** A field name from a client, with markup in it: it must show as text. */
const HOSTILE_KEY = '<img src=x onerror=alert(1)>contact'

let t: TestEngine
let browser: Browser
let receiver: Receiver
let shop: Source
let hook: Destination

async function json<T>(res: Response, status = 200): Promise<T> {
  const body = await res.text()
  expect(res.status, body).toBe(status)
  return JSON.parse(body) as T
}
const post = (path: string, body: unknown): Promise<Response> => t.admin(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex')
/** Suppressions and deletion records keep ids keyed with the data dir's salt. */
const keyed = (id: string): string => createHmac('sha256', t.engine.context.privacy.salt).update(id).digest('hex')

async function send(writeKey: string, calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey, host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
  calls(analytics)
  await analytics.closeAndFlush()
}

const checkout = (userId: string, email: string) => ({
  userId,
  event: 'Checkout Started',
  properties: { email, phone: '+44 20 7946 0958', card_number: '4242 4242 4242 4242', sku: '12345678901234', total: 42, [HOSTILE_KEY]: 'grace@example.org' }
})

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  receiver = new Receiver()
  await receiver.listen()
  shop = await json<Source>(await post('/api/sources', { name: 'Privacy shop', writeKey: SHOP }), 201)
  hook = await json<Destination>(await post('/api/destinations', { name: 'Shop hook', kind: 'webhook', settings: { url: receiver.url }, sourceIds: [shop.id] }), 201)
  await send(SHOP, (a) => {
    a.track(checkout('privacy-u1', 'ada@example.com'))
    a.track({ userId: 'privacy-u2', event: 'Newsletter Joined', properties: { email: 'bob@example.net', plan: 'weekly' } })
    a.track({ userId: 'privacy-u3', event: 'Page Scrolled', properties: { depth: 80 } })
  })
  // Detection ran at ingest: the inventory holds the fields once the client's flush was answered.
  await vi.waitFor(async () => expect((await t.get(`/api/privacy/inventory?source=${shop.id}`) as PiiInventory).fields.length).toBeGreaterThanOrEqual(4))
})

afterAll(async () => {
  await browser?.close()
  await t?.stop()
  await receiver?.close()
})

describe('Privacy in the UI', () => {
  it('lists the inventory: fields, matchers, classes, what destinations receive, and a CSV export', async () => {
    const ui = await openUi(browser, t, '/privacy')
    const { page } = ui
    try {
      await page.getByRole('link', { name: 'Privacy' }).waitFor()
      const table = page.getByRole('table', { name: 'Fields with personal data' })
      const row = (path: string) => table.locator(`tr[data-path="${path}"]`)
      await row('properties.email').waitFor({ timeout: 10_000 })
      expect(await row('properties.email').getAttribute('data-matcher')).toBe('email')
      expect(await row('properties.email').getAttribute('data-class')).toBe('yellow')
      expect(await row('properties.phone').getAttribute('data-matcher')).toBe('phone')
      expect(await row('properties.card_number').getAttribute('data-class')).toBe('red')
      // A product id full of digits fails the Luhn check: no card.
      expect(await row('properties.sku').count()).toBe(0)
      expect(await row('properties.total').count()).toBe(0)
      // Two events carried an email.
      expect(await row('properties.email').locator('td.num').innerText()).toBe('2')
      expect(await row('properties.email').locator('.receivers').innerText()).toBe('Shop hook: passes')
      // The client's field name is text, not markup.
      const hostile = table.locator('tr[data-matcher="email"]').filter({ hasText: 'contact' })
      expect(await hostile.locator('code.field-path').innerText()).toBe(`properties.${HOSTILE_KEY}`)
      expect(await table.locator('img').count()).toBe(0)

      const csvLink = page.getByRole('link', { name: 'Export CSV' })
      expect(await csvLink.getAttribute('href')).toBe('/api/privacy/inventory.csv')
      const csv = (await page.evaluate(async (href) => (await fetch(href!)).text(), await csvLink.getAttribute('href'))) as string
      expect(csv.split('\r\n')[0]).toBe('source,field,matcher,classification,events,first_seen,last_seen,destinations,triaged')
      expect(csv).toContain('Privacy shop,properties.card_number,credit_card,red,1,')

      // One source picked: the URL keeps it, and the CSV link follows.
      await page.getByRole('combobox', { name: 'Source' }).selectOption({ label: 'Privacy shop' })
      await expect.poll(() => page.url()).toContain(`/privacy?source=${shop.id}`)
      expect(await csvLink.getAttribute('href')).toBe(`/api/privacy/inventory.csv?source=${shop.id}`)
      await screenshot(page, 'privacy-inventory')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('triages the inbox: confirms one field and reclassifies another', async () => {
    const ui = await openUi(browser, t, '/privacy')
    const { page } = ui
    try {
      const tab = page.getByRole('tab', { name: /Inbox/ })
      await tab.getByLabel(/to triage/).waitFor()
      await tab.click()
      await expect.poll(() => page.url()).toContain('tab=inbox')
      const table = page.getByRole('table', { name: 'Fields to triage' })
      await table.locator('tr[data-path="properties.email"]').waitFor()
      await screenshot(page, 'privacy-inbox')

      await page.getByRole('button', { name: 'Confirm properties.email as yellow' }).click()
      await table.locator('tr[data-path="properties.email"]').waitFor({ state: 'detached' })
      await page.getByRole('combobox', { name: 'Reclassify properties.phone' }).selectOption('red')
      await table.locator('tr[data-path="properties.phone"]').waitFor({ state: 'detached' })

      const settings = (await t.get('/api/privacy/settings')) as PrivacySettings
      expect(settings.fieldClassifications).toEqual({ 'properties.phone': 'red' })
      const inventory = (await t.get(`/api/privacy/inventory?source=${shop.id}`)) as PiiInventory
      expect(inventory.fields.filter((f) => f.triaged).map((f) => f.path).sort()).toEqual(['properties.email', 'properties.phone'])

      await page.getByRole('tab', { name: 'Inventory' }).click()
      const phone = page.getByRole('table', { name: 'Fields with personal data' }).locator('tr[data-path="properties.phone"]')
      await expect.poll(() => phone.getAttribute('data-class')).toBe('red')
      expect(await phone.locator('td').last().innerText()).toBe('triaged')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('reclassifies a matcher, refuses a bad custom pattern on its field, adds and removes a custom matcher', async () => {
    const ui = await openUi(browser, t, '/privacy?tab=matchers')
    const { page } = ui
    try {
      const table = page.getByRole('table', { name: 'Matchers' })
      const ip = table.locator('tr[data-matcher="ip_address"]')
      await ip.waitFor()
      await ip.getByRole('combobox').selectOption('green')
      await expect.poll(() => ip.getAttribute('data-class')).toBe('green')
      expect(((await t.get('/api/privacy/settings')) as PrivacySettings).matcherClassifications).toEqual({ ip_address: 'green' })

      const form = page.getByRole('form', { name: 'Add a custom matcher' })
      await form.getByRole('textbox', { name: 'Name' }).fill('Loyalty card')
      await form.getByRole('textbox', { name: 'Pattern' }).fill('^LC-(\\d{6}$')
      await form.getByRole('button', { name: 'Add matcher' }).click()
      const pattern = form.getByRole('textbox', { name: 'Pattern' })
      await expect.poll(() => pattern.getAttribute('aria-invalid')).toBe('true')
      expect(await form.locator('#custom-pattern-error').innerText()).not.toBe('')
      await screenshot(page, 'privacy-matchers-error')

      await pattern.fill('^LC-\\d{6}$')
      await form.getByRole('combobox', { name: 'Class' }).selectOption('red')
      await form.getByRole('button', { name: 'Add matcher' }).click()
      const custom = table.locator('tr[data-matcher="custom:loyalty_card"]')
      await custom.waitFor()
      expect(await custom.getAttribute('data-class')).toBe('red')
      expect(await pattern.getAttribute('aria-invalid')).toBeNull()
      expect(((await t.get('/api/privacy/settings')) as PrivacySettings).custom).toEqual([{ id: 'custom:loyalty_card', name: 'Loyalty card', target: 'value', pattern: '^LC-\\d{6}$', classification: 'red' }])
      await screenshot(page, 'privacy-matchers')

      await custom.getByRole('button', { name: 'Remove Loyalty card' }).click()
      await custom.waitFor({ state: 'detached' })
      expect(((await t.get('/api/privacy/settings')) as PrivacySettings).custom).toEqual([])
      await expectCleanConsole(ui.watch, [/status of 400 \(Bad Request\)/]) // the refused pattern, on purpose
    } finally {
      await ui.close()
    }
  })

  it('saves the controls matrix: the receiver gets the card dropped and the email hashed, the store keeps both', async () => {
    const ui = await openUi(browser, t, '/privacy?tab=controls')
    const { page } = ui
    try {
      const matrix = page.getByRole('table', { name: 'Destination controls' })
      const row = matrix.locator(`tr[data-destination="${hook.id}"]`)
      await row.waitFor()
      await page.getByRole('combobox', { name: 'Shop hook: red data' }).selectOption('drop')
      await row.getByRole('status').filter({ hasText: 'Saved' }).waitFor()
      await page.getByRole('combobox', { name: 'Shop hook: yellow data' }).selectOption('hash')
      await expect.poll(async () => ((await t.get(`/api/destinations/${hook.id}`)) as Destination).privacy).toEqual({ red: 'drop', yellow: 'hash', green: 'pass' })
      await screenshot(page, 'privacy-controls')

      // The inventory says what the hook receives now.
      await page.getByRole('tab', { name: 'Inventory' }).click()
      const card = page.getByRole('table', { name: 'Fields with personal data' }).locator('tr[data-path="properties.card_number"]')
      await expect.poll(() => card.locator('.receivers').innerText()).toBe('Shop hook: dropped')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }

    await send(SHOP, (a) => a.track(checkout('privacy-u4', ' Eve@Example.com ')))
    await vi.waitFor(() => expect(receiver.events().some((e) => e.userId === 'privacy-u4')).toBe(true), { timeout: 15_000 })
    const delivered = receiver.events().find((e) => e.userId === 'privacy-u4')
    expect(delivered.properties.card_number).toBeUndefined()
    expect(delivered.properties.email).toBe(sha256('eve@example.com'))
    expect(delivered.properties.sku).toBe('12345678901234')
    const stored = (await t.get(`/api/events?source=${shop.id}&userId=privacy-u4`)) as EventsPage
    const record = await t.get(`/api/events/${stored.events[0]!.id}`)
    expect(record.payload.properties.card_number).toBe('4242 4242 4242 4242')
    expect(record.payload.properties.email).toBe(' Eve@Example.com ')
  })

  it('blocks red data on a source: its events are held in quarantine', async () => {
    const blocking = await json<Source>(await post('/api/sources', { name: 'Privacy strict', writeKey: BLOCKING }), 201)
    const ui = await openUi(browser, t, '/privacy?tab=sources')
    const { page } = ui
    try {
      const box = page.getByRole('checkbox', { name: 'Block red data from Privacy strict' })
      await expect.poll(() => box.isEnabled()).toBe(true)
      expect(await box.isChecked()).toBe(false)
      await box.check()
      await page.getByRole('table', { name: 'Source settings' }).locator(`tr[data-source="${blocking.id}"]`).getByRole('status').waitFor()
      expect((await t.get(`/api/sources/${blocking.id}/privacy`)) as SourcePrivacy).toEqual({ blockRed: true })
      await screenshot(page, 'privacy-sources')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
    await send(BLOCKING, (a) => {
      a.track({ userId: 'strict-1', event: 'Card Saved', properties: { card_number: '5555 5555 5555 4444' } })
      a.track({ userId: 'strict-2', event: 'Page Scrolled', properties: { depth: 10 } })
    })
    const held = (await t.get(`/api/events?source=${blocking.id}&quarantined=1`)) as EventsPage
    expect(held.events.map((e) => e.userId)).toEqual(['strict-1'])
  })

  it('flags events with personal data in Events, filters to them, and masks values in the detail until revealed', async () => {
    const ui = await openUi(browser, t, `/events?source=${shop.id}`)
    const { page } = ui
    try {
      const list = rows(page, 'Stored events')
      const u1 = list.filter({ hasText: 'privacy-u1' })
      await u1.getByRole('img', { name: 'red personal data' }).waitFor()
      await list.filter({ hasText: 'privacy-u2' }).getByRole('img', { name: 'yellow personal data' }).waitFor()
      expect(await list.filter({ hasText: 'privacy-u3' }).getByRole('img', { name: /personal data/ }).count()).toBe(0)

      await page.getByRole('checkbox', { name: 'PII only' }).check()
      await expect.poll(() => page.url()).toContain('pii=1')
      await expect.poll(() => list.filter({ hasText: 'privacy-u3' }).count()).toBe(0)
      await u1.waitFor()

      await u1.click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      const found = detail.getByRole('list', { name: 'Personal data found' })
      await found.waitFor()
      const listed = await found.locator('li').evaluateAll((lis) => lis.map((li) => `${li.getAttribute('data-class')} ${li.getAttribute('data-pointer')}`))
      // Red first, then yellow.
      expect(listed.map((line) => line.split(' ')[0])).toEqual(['red', 'red', 'yellow', 'yellow'])
      expect(listed.sort()).toEqual([
        'red /properties/card_number',
        'red /properties/phone',
        `yellow /properties/${HOSTILE_KEY}`,
        'yellow /properties/email'
      ])
      expect(await found.locator('li[data-pointer="/properties/card_number"] .sample').innerText()).toBe('•••• 4242')
      await found.scrollIntoViewIfNeeded()
      await screenshot(page, 'privacy-detail-findings')

      const tree = detail.getByRole('tree', { name: 'Payload' })
      const email = tree.locator('[data-pointer="/properties/email"]')
      expect(await email.locator('.json-line').first().getAttribute('class')).toContain('pii-yellow')
      expect(await email.locator('[data-masked="true"]').innerText()).toBe('a•••@example.com')
      expect(await tree.innerText()).not.toContain('ada@example.com')
      expect(await tree.innerText()).not.toContain('4242 4242 4242 4242')
      // Not personal data: shown as sent.
      expect(await tree.locator('[data-pointer="/properties/sku"] .json-line').first().innerText()).toContain('"12345678901234"')
      await detail.getByRole('button', { name: 'Raw JSON' }).click()
      expect(await detail.locator('pre.raw-json').innerText()).not.toContain('ada@example.com')
      await detail.getByRole('button', { name: 'Tree' }).click()
      await screenshot(page, 'privacy-detail-masked')

      const reveal = detail.getByRole('button', { name: 'Reveal personal data' })
      await reveal.click()
      await email.locator('.json-string').waitFor()
      expect(await email.locator('.json-line').first().innerText()).toContain('"ada@example.com"')
      expect(await tree.locator('[data-masked="true"]').count()).toBe(0)
      await screenshot(page, 'privacy-detail-revealed')
      await detail.getByRole('button', { name: 'Hide personal data' }).click()
      await email.locator('[data-masked="true"]').waitFor()
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('masks an e-mail inside the page URL in the detail\'s Context summary too, until revealed', async () => {
    const pages = await json<Source>(await post('/api/sources', { name: 'Privacy pages', writeKey: 'wk_privacy_pages' }), 201)
    await send('wk_privacy_pages', (a) => {
      a.page({ userId: 'privacy-p1', name: 'Welcome', context: { page: { url: 'https://shop.example/welcome?email=erin%40example.net' } } })
    })
    await vi.waitFor(async () => expect(((await t.get(`/api/events?source=${pages.id}&pii=1`)) as EventsPage).events).toHaveLength(1))
    const ui = await openUi(browser, t, `/events?source=${pages.id}`)
    const { page } = ui
    try {
      await rows(page, 'Stored events').filter({ hasText: 'privacy-p1' }).click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      const context = detail.getByRole('region', { name: 'Context' })
      await context.waitFor()
      expect(await context.innerText()).toContain('e•••@example.net')
      expect(await detail.innerText()).not.toContain('erin%40example.net')
      await context.scrollIntoViewIfNeeded()
      await screenshot(page, 'privacy-detail-context-masked')
      await detail.getByRole('button', { name: 'Reveal personal data' }).click()
      await expect.poll(() => context.innerText()).toContain('https://shop.example/welcome?email=erin%40example.net')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('flags personal data in Live and follows only such events with "PII only"', async () => {
    const ui = await openUi(browser, t, '/live')
    const { page } = ui
    try {
      await waitForStream(ui)
      await send(SHOP, (a) => {
        a.track({ userId: 'live-pii', event: 'Signed Up', properties: { email: 'carol@example.com' } })
        a.track({ userId: 'live-clean', event: 'Signed Up', properties: { plan: 'free' } })
      })
      const live = rows(page, 'Live events')
      await live.filter({ hasText: 'live-pii' }).getByRole('img', { name: 'yellow personal data' }).waitFor()
      await live.filter({ hasText: 'live-clean' }).waitFor()
      expect(await live.filter({ hasText: 'live-clean' }).getByRole('img').count()).toBe(0)
      await screenshot(page, 'privacy-live')

      await page.getByRole('checkbox', { name: 'PII only' }).check()
      await waitForStream(ui, 'pii=1')
      await send(SHOP, (a) => {
        a.track({ userId: 'live-clean-2', event: 'Signed Up', properties: { plan: 'pro' } })
        a.track({ userId: 'live-pii-2', event: 'Signed Up', properties: { email: 'dan@example.com' } })
      })
      await live.filter({ hasText: 'live-pii-2' }).getByRole('img', { name: 'yellow personal data' }).waitFor()
      // The backfill and the stream both obey the filter.
      expect(await live.filter({ hasText: 'live-clean' }).count()).toBe(0)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('suppresses a user (their events are refused), unsuppresses them by id, and deletes their data after confirmation', async () => {
    const ui = await openUi(browser, t, '/privacy?tab=suppressions')
    const { page } = ui
    const trackAs = (userId: string) =>
      fetch(`${t.baseUrl}/v1/track`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: basicAuth(SHOP) }, body: JSON.stringify({ userId, event: 'Ping' }) })
    try {
      const form = page.getByRole('form', { name: 'Suppress a user' })
      await form.getByRole('textbox', { name: 'userId to suppress' }).fill('privacy-u2')
      await form.getByRole('button', { name: 'Suppress' }).click()
      const list = page.getByRole('table', { name: 'Suppressed users' })
      const row = list.locator(`tr[data-hash="${keyed('privacy-u2')}"]`)
      await row.waitFor()
      expect(await row.innerText()).not.toContain('privacy-u2')
      expect(((await t.get('/api/privacy/suppressions')) as { suppressions: Suppression[] }).suppressions.map((s) => s.kind)).toEqual(['userId'])
      const refused = await trackAs('privacy-u2')
      expect(refused.status).toBe(403)
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('ERR_SUPPRESSED')
      await screenshot(page, 'privacy-suppressions')

      // Removing asks for the id again; another id is refused (the engine finds no such suppression).
      await row.getByRole('button', { name: 'Remove…' }).click()
      const typed = row.getByRole('textbox', { name: 'Type the userId to unsuppress' })
      await typed.fill('privacy-u1')
      await row.getByRole('button', { name: 'Unsuppress' }).click()
      await row.getByRole('alert').filter({ hasText: 'That is not the userId of a suppression.' }).waitFor()
      await typed.fill('privacy-u2')
      await row.getByRole('button', { name: 'Unsuppress' }).click()
      await row.waitFor({ state: 'detached' })
      expect((await trackAs('privacy-u2')).status).toBe(200)

      await page.getByRole('tab', { name: 'Deletions' }).click()
      const deletion = page.getByRole('form', { name: 'Delete a user’s data' })
      await deletion.getByRole('textbox', { name: 'userId to delete' }).fill('privacy-u2')
      await deletion.getByRole('button', { name: 'Delete data…' }).click()
      const dialog = page.getByRole('dialog', { name: 'Delete this user’s data?' })
      await dialog.waitFor()
      const confirm = dialog.getByRole('button', { name: 'Delete permanently' })
      expect(await confirm.isDisabled()).toBe(true)
      await dialog.getByRole('textbox', { name: 'Type the userId to confirm' }).fill('privacy-u')
      expect(await confirm.isDisabled()).toBe(true)
      await dialog.getByRole('textbox', { name: 'Type the userId to confirm' }).fill('privacy-u2')
      await screenshot(page, 'privacy-delete-dialog')
      await confirm.click()
      await dialog.waitFor({ state: 'hidden' })
      const done = page.getByRole('table', { name: 'Deletions' }).locator('tr[data-state="done"]')
      await done.waitFor({ timeout: 15_000 })
      const record = ((await t.get('/api/privacy/deletions')) as { deletions: Deletion[] }).deletions[0]!
      expect(record).toMatchObject({ kind: 'userId', idHash: keyed('privacy-u2'), state: 'done', events: 2 })
      expect(await done.locator('td.num').nth(1).innerText()).toBe('2')
      expect(((await t.get(`/api/events?userId=privacy-u2`)) as EventsPage).events).toEqual([])
      await screenshot(page, 'privacy-deletions')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
