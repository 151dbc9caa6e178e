// Profiles (identity resolution) in Chromium against a real engine, fed by analytics-node: a visitor browses
// anonymously on a laptop and a phone and then logs in on both; two people share a kiosk (the second user id
// is refused: they stay apart); an identify carries markup as a trait value. The search finds the profile by
// email; the profile page says how each identifier joined and shows the markup as text, and its timeline
// orders events by when they happened, with dates; the graph draws the refused link red, and a person with
// many long identifiers gets a larger drawing whose labels do not overlap; a computed trait and an audience
// are built with their live previews; the merge rules refuse a bad limit by field (once), then save, and
// save with a rebuild after asking, saying when it is done.

import { Analytics } from '@segment/analytics-node'
import type { Browser, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../src-shared/api'
import type { Audience, ComputedTrait, IdentitySettings, ProfileDetail, ProfileSummary } from '../src-shared/identity'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, screenshot } from './support/ui-session'

const APP = 'wk_profiles_app'
const HOSTILE = '<img src=x onerror=alert(1)>'
const OLD_EVENT_AT = '2024-03-01T12:00:00.000Z'

let t: TestEngine
let browser: Browser
let source: Source

async function send(calls: (a: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey: APP, host: t.baseUrl, flushInterval: 20, flushAt: 50, maxRetries: 3 })
  calls(analytics)
  await analytics.closeAndFlush()
  // The engine adds events to profiles after they are stored; this waits until it has caught up.
  await t.indexNow()
}

async function profileOf(q: string): Promise<ProfileDetail> {
  const { profiles } = (await t.get(`/api/profiles?q=${encodeURIComponent(q)}`)) as { profiles: ProfileSummary[] }
  expect(profiles.length, `profiles for ${q}`).toBeGreaterThan(0)
  return t.get(`/api/profiles/${profiles[0]!.id}`)
}

/** A markup value must never become an element, nor run. */
function watchDialogs(page: Page): string[] {
  const dialogs: string[] = []
  page.on('dialog', (d) => {
    dialogs.push(d.message())
    void d.dismiss()
  })
  return dialogs
}

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  const res = await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Shop app', writeKey: APP }) })
  expect(res.status).toBe(201)
  source = (await res.json()) as Source
  // Browsing before logging in, on two devices; each flush is its own batch, so the order holds.
  await send((a) => {
    a.track({ anonymousId: 'anon-laptop', event: 'Product Viewed', properties: { sku: 'a' } })
    a.page({ anonymousId: 'anon-phone', name: 'Home' })
  })
  await send((a) => a.identify({ userId: 'user-ada', anonymousId: 'anon-laptop', traits: { email: 'ada@example.com', plan: 'free', nickname: HOSTILE, address: { city: 'London', postalCode: 'N1' } } }))
  await send((a) => a.identify({ userId: 'user-ada', anonymousId: 'anon-phone', traits: { plan: 'pro' } }))
  await send((a) => {
    a.track({ userId: 'user-ada', event: 'Order Completed', properties: { revenue: 20, product: 'p1' } })
    a.track({ userId: 'user-ada', event: 'Order Completed', properties: { revenue: 30.5, product: 'p2' } })
  })
  // A kiosk shared by two people: the second user id on it is refused (user_id limit 1).
  await send((a) => a.identify({ userId: 'user-bob', anonymousId: 'anon-kiosk', traits: { email: 'bob@example.net' } }))
  await send((a) => {
    a.identify({ userId: 'user-cy', anonymousId: 'anon-kiosk', traits: { email: 'cy@example.org' } })
    a.track({ userId: 'user-cy', anonymousId: 'anon-kiosk', event: 'Order Completed', properties: { revenue: 5 } })
  })
  // Sent last but happened long ago (a replayed backlog): the timeline puts it last.
  await send((a) => a.track({ userId: 'user-ada', event: 'Newsletter Opened', timestamp: new Date(OLD_EVENT_AT) }))
})

afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

describe('Profiles in the UI', () => {
  it('finds a profile by email, with the identity status line', async () => {
    const ui = await openUi(browser, t, '/profiles')
    const { page } = ui
    try {
      await page.getByRole('link', { name: 'Profiles', exact: true }).first().waitFor()
      const status = page.getByTestId('identity-status')
      await expect.poll(() => status.innerText()).toMatch(/3\s*profiles/)
      expect(await status.innerText()).toMatch(/1\s*merge\b/)
      expect(await status.innerText()).toMatch(/up to date/)
      const table = page.getByRole('table', { name: 'Profiles' })
      await table.locator('tbody tr').first().waitFor()
      expect(await table.locator('tbody tr').count()).toBe(3)
      await screenshot(page, 'profiles-list')

      await page.getByRole('searchbox', { name: 'Search profiles' }).fill('ada@exam')
      await expect.poll(() => table.locator('tbody tr').count()).toBe(1)
      const row = table.locator('tbody tr').first()
      expect(await row.locator('.profile-label').innerText()).toBe('ada@example.com')
      expect(await row.locator('td').first().innerText()).toBe('user-ada')
      expect(page.url()).toContain('/profiles')
      await screenshot(page, 'profiles-search')
      await row.getByRole('link', { name: 'ada@example.com' }).click()
      await page.getByRole('heading', { name: 'ada@example.com', level: 1 }).waitFor()
      expect(page.url()).toMatch(/\/profiles\/\d+$/)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('shows the profile: identities with how each joined, traits as text, the timeline across devices', async () => {
    const ada = await profileOf('user-ada')
    const ui = await openUi(browser, t, `/profiles/${ada.id}`)
    const { page } = ui
    const dialogs = watchDialogs(page)
    try {
      const identities = page.getByRole('table', { name: 'Identities' })
      await identities.locator('tbody tr').first().waitFor()
      expect(await identities.locator('tbody tr').count()).toBe(4)
      const phone = identities.locator('tr[data-value="anon-phone"]')
      expect(await phone.locator('.linked-by').innerText()).toMatch(/^linked by user_id user-ada in event \S+$/)
      const laptop = identities.locator('tr[data-value="anon-laptop"]')
      expect(await laptop.locator('.linked-by').innerText()).toMatch(/^first identifier, in event \S+$/)

      // The markup is a string on the page, not an element.
      const nickname = page.getByRole('table', { name: 'Traits' }).locator('tr[data-trait="nickname"]')
      expect(await nickname.locator('.value-cell').innerText()).toBe(JSON.stringify(HOSTILE))
      expect(await page.locator('main img').count()).toBe(0)
      expect(await page.getByRole('table', { name: 'Traits' }).locator('tr[data-trait="plan"] .value-cell').innerText()).toBe('"pro"')
      // An object trait opens as a tree.
      expect(await page.getByRole('table', { name: 'Traits' }).locator('tr[data-trait="address"] .value-cell').innerText()).toContain('London')

      // Both devices' events, newest first by when they happened, each with its date.
      const timeline = page.getByRole('listbox', { name: 'Profile events' })
      await expect.poll(() => timeline.locator('.timeline-row').count()).toBe(ada.events)
      expect(ada.events).toBe(7)
      const times = await timeline.locator('.timeline-row .time').allInnerTexts()
      for (const time of times) expect(time).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/)
      expect([...times].sort().reverse()).toEqual(times)
      const oldest = timeline.locator('.timeline-row').last()
      expect(await oldest.innerText()).toContain('Newsletter Opened')
      expect(await oldest.locator('.time').innerText()).toMatch(/^2024-03-0[12] /)
      expect(await oldest.locator('.time').getAttribute('title')).toMatch(/^Happened 2024-03-0[12] .*\nReceived 20\d\d-/)
      expect(await page.getByTestId('merged-from').innerText()).toMatch(/^#\d+$/)

      // "linked by … in event N" opens the event that made the link.
      const link = phone.locator('.event-link')
      const eventId = await link.getAttribute('data-event-id')
      await link.click()
      const detail = page.getByRole('complementary', { name: 'Event detail' })
      await detail.waitFor()
      expect(await detail.getAttribute('data-event-id')).toBe(eventId)
      await expect.poll(() => detail.innerText()).toContain('anon-phone')
      // A timeline row opens its event there too.
      await oldest.click()
      await expect.poll(() => detail.getAttribute('data-event-id')).toBe(await oldest.getAttribute('data-event-id'))
      expect(await oldest.getAttribute('aria-selected')).toBe('true')
      await oldest.scrollIntoViewIfNeeded()
      await screenshot(page, 'profiles-timeline')
      await screenshot(page, 'profiles-profile')

      // The merged-away id leads to the survivor, and the address bar follows.
      const merged = ada.mergedFrom[0]!
      await ui.open(`/profiles/${merged}`)
      await page.getByRole('heading', { name: 'ada@example.com', level: 1 }).waitFor()
      await expect.poll(() => page.url()).toBe(`${t.baseUrl}/profiles/${ada.id}`)
      expect(dialogs).toEqual([])
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('draws the identity graph with the refused link red, and lists the refusal', async () => {
    const cy = await profileOf('user-cy')
    const bob = await profileOf('user-bob')
    const ui = await openUi(browser, t, `/profiles/${cy.id}/graph`)
    const { page } = ui
    try {
      const svg = page.getByRole('img', { name: 'Identity graph' })
      await svg.waitFor()
      const kiosk = svg.locator('.graph-node[data-value="anon-kiosk"]')
      expect(await kiosk.getAttribute('class')).toContain('foreign')
      expect(await kiosk.getAttribute('data-profile-id')).toBe(String(bob.id))
      expect(await svg.locator('.graph-node:not(.foreign)').count()).toBe(cy.identityList.length)
      const refused = svg.locator('.graph-edge[data-refused="true"]')
      expect(await refused.count()).toBe(1)
      expect(await refused.locator('.edge-line').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).strokeDasharray)).not.toBe('none')
      expect(await refused.locator('.edge-line').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).stroke)).toBe('rgb(192, 38, 45)')

      // Pointing at the link tells the event that made it.
      await refused.locator('.edge-hit').hover({ force: true })
      const info = page.getByTestId('edge-info')
      await expect.poll(() => info.innerText()).toMatch(/^Refused link .*anon-kiosk.*seen in event \S+ at /)
      expect(await info.locator('.event-link').getAttribute('data-event-id')).toBe(await refused.getAttribute('data-event-id'))

      const log = page.getByRole('table', { name: 'Identity log' })
      const row = log.locator('tr[data-log-kind="refused"]')
      expect(await row.count()).toBe(1)
      expect(await row.locator('.log-reason').innerText()).toMatch(/user_id \(limit 1\)/)
      await screenshot(page, 'profiles-graph')

      // Ada's graph: four identifiers joined by merges, no refusal.
      const ada = await profileOf('user-ada')
      await ui.open(`/profiles/${ada.id}/graph`)
      await svg.waitFor()
      expect(await svg.locator('.graph-node').count()).toBe(4)
      expect(await svg.locator('.graph-edge[data-refused="true"]').count()).toBe(0)
      expect(await page.getByRole('table', { name: 'Identity log' }).locator('tr[data-log-kind="merge"]').count()).toBe(1)
      await screenshot(page, 'profiles-graph-merged')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('builds a computed trait with a live preview before saving', async () => {
    const ui = await openUi(browser, t, '/profiles/traits')
    const { page } = ui
    try {
      const form = page.getByRole('form', { name: 'New computed trait' })
      await form.waitFor()
      await form.getByLabel('Name', { exact: true }).fill('Total revenue')
      await form.getByLabel('Computes', { exact: true }).selectOption('sum')
      await form.getByLabel('Event', { exact: true }).fill('Order Completed')
      // A sum with no property yet: the preview says what is missing.
      const preview = form.getByRole('complementary', { name: 'Preview' })
      await expect.poll(() => preview.innerText()).toMatch(/property/)
      await form.getByLabel('Property path', { exact: true }).fill('properties.revenue')
      // Ada (50.5) and Cy (5) have a value; Bob has no order.
      await expect.poll(() => preview.getByTestId('preview-count').innerText().catch(() => '')).toBe('2 of 3 profiles have a value')
      expect(await preview.getByRole('list', { name: 'Sample profiles' }).innerText()).toContain('50.5')
      await screenshot(page, 'profiles-trait-preview')

      await form.getByRole('button', { name: 'Create computed trait' }).click()
      const row = page.getByRole('table', { name: 'Computed traits' }).locator('tr[data-trait-key="total_revenue"]')
      await row.waitFor()
      await expect.poll(() => row.locator('.state-badge').innerText(), { timeout: 10_000 }).toBe('live')
      await expect.poll(() => row.locator('td.num').innerText(), { timeout: 10_000 }).toBe('2')
      expect(await row.locator('td').first().innerText()).toBe('sum of properties.revenue over Order Completed')

      // The same name again is refused on the name field.
      await form.getByLabel('Name', { exact: true }).fill('total revenue')
      await form.getByRole('button', { name: 'Create computed trait' }).click()
      await expect.poll(() => form.locator('.field-error').first().innerText()).toMatch(/already has this name/)
      expect(await form.getByLabel('Name', { exact: true }).getAttribute('aria-invalid')).toBe('true')
      await screenshot(page, 'profiles-traits')
      const traits = (await t.get('/api/computed-traits')).traits as ComputedTrait[]
      expect(traits.map((x) => x.key)).toEqual(['total_revenue'])
      await expectCleanConsole(ui.watch, [/status of 40[09]/])
    } finally {
      await ui.close()
    }
  })

  it('builds an audience with a live preview and a destination source', async () => {
    const ui = await openUi(browser, t, '/profiles/audiences')
    const { page } = ui
    try {
      const form = page.getByRole('form', { name: 'New audience' })
      await form.waitFor()
      await form.getByLabel('Name', { exact: true }).fill('Big spenders')
      await form.getByLabel('Condition 1 kind').selectOption('computed')
      await form.getByLabel('Condition 1 computed trait').selectOption({ label: 'Total revenue' })
      await form.getByLabel('Condition 1 operator').selectOption('>=')
      await form.getByLabel('Condition 1 value').fill('40')
      const preview = form.getByRole('complementary', { name: 'Preview' })
      await expect.poll(() => preview.getByTestId('preview-count').innerText().catch(() => '')).toBe('1 of 3 profiles are members')
      expect(await preview.getByRole('list', { name: 'Sample profiles' }).innerText()).toContain('ada@example.com')
      // A second condition that no one meets, with "any": still Ada.
      await form.getByRole('button', { name: 'Add condition' }).click()
      await form.getByLabel('Condition 2 kind').selectOption('event')
      await form.getByLabel('Condition 2 event').fill('Never Happened')
      // Any time, not only lately: no days to give.
      await form.getByLabel('Condition 2 when').selectOption('ever')
      expect(await form.getByLabel('Condition 2 days').count()).toBe(0)
      // The Remove button stays on the row's first line, beside the inputs.
      const line = form.locator('li[data-condition="1"]')
      const removeBox = await line.getByRole('button', { name: 'Remove condition 2' }).boundingBox()
      const kindBox = await line.getByLabel('Condition 2 kind').boundingBox()
      expect(removeBox!.y).toBeLessThan(kindBox!.y + kindBox!.height)
      expect(removeBox!.x).toBeGreaterThan(kindBox!.x)
      await form.getByLabel('Match').selectOption('any')
      await form.getByLabel('Send entering and leaving as events of').selectOption({ label: source.name })
      await expect.poll(() => preview.getByTestId('preview-count').innerText().catch(() => '')).toBe('1 of 3 profiles are members')
      await screenshot(page, 'profiles-audience-preview')
      // "did not do … at least 3" says what it means; the row keeps its Remove button on the first line.
      await form.getByRole('button', { name: 'Add condition' }).click()
      await form.getByLabel('Condition 3 kind').selectOption('event')
      await form.getByLabel('Condition 3 did or did not').selectOption('not')
      await form.getByLabel('Condition 3 event').fill('Order Completed')
      await form.getByLabel('Condition 3 at least').fill('3')
      expect(await form.locator('li[data-condition="2"]').innerText()).toContain('times (fewer than 3)')
      await screenshot(page, 'profiles-audience-builder')
      await form.getByRole('button', { name: 'Remove condition 3' }).click()
      await expect.poll(() => preview.getByTestId('preview-count').innerText().catch(() => '')).toBe('1 of 3 profiles are members')

      await form.getByRole('button', { name: 'Create audience' }).click()
      const row = page.getByRole('table', { name: 'Audiences' }).locator('tr[data-audience-key="big_spenders"]')
      await row.waitFor()
      await expect.poll(() => row.locator('td.num').innerText(), { timeout: 10_000 }).toBe('1')
      expect(await row.innerText()).toContain(source.name)
      expect(await row.locator('.condition-chip').allInnerTexts()).toEqual(['Total revenue >= 40', 'did Never Happened ever'])
      await row.locator('td.num button').click()
      await page.getByRole('list', { name: 'Members' }).getByRole('link', { name: 'ada@example.com' }).waitFor()
      await screenshot(page, 'profiles-audiences')
      const audiences = (await t.get('/api/audiences')).audiences as Audience[]
      expect(audiences[0]).toMatchObject({ name: 'Big spenders', match: 'any', sourceId: source.id, emitIdentify: true, emitTrack: true })
      expect(audiences[0]!.conditions[1]).toEqual({ kind: 'event', event: 'Never Happened', did: true, withinDays: null })
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('saves merge rules, refusing a bad limit by field, and rebuilds after asking', async () => {
    const ui = await openUi(browser, t, '/profiles/settings')
    const { page } = ui
    try {
      const form = page.getByRole('form', { name: 'Merge rules' })
      await form.getByLabel('Default limit').waitFor()
      const before = (await t.get('/api/identity/settings')) as IdentitySettings
      // Caught before sending, as the engine would refuse it: shown once, at the field.
      for (const bad of ['0', 'abc']) {
        await form.getByLabel('Default limit').fill(bad)
        await form.getByRole('button', { name: 'Save', exact: true }).click()
        await expect.poll(() => form.locator('.field-error').allInnerTexts()).toEqual([expect.stringMatching(/whole number from 1 to 1000/)])
        expect(await form.getByLabel('Default limit').getAttribute('aria-invalid')).toBe('true')
        expect(await form.locator('.form-error').count()).toBe(0)
      }
      expect(((await t.get('/api/identity/settings')) as IdentitySettings).defaultLimit).toBe(before.defaultLimit)
      await form.getByLabel('Default limit').fill('4')

      // The engine's refusal of an external id shows once, under its row.
      await form.getByRole('button', { name: 'Add external id' }).click()
      await form.getByLabel('External id 3 kind').fill('user_id')
      await form.getByLabel('External id 3 paths').fill('traits.x')
      await form.getByRole('button', { name: 'Save', exact: true }).click()
      await expect.poll(() => form.getByRole('alert').allInnerTexts()).toEqual([expect.stringMatching(/"user_id" is built in/)])
      expect(await form.getByLabel('External id 3 kind').getAttribute('aria-invalid')).toBe('true')
      await screenshot(page, 'profiles-merge-rules-refused')
      await form.getByRole('button', { name: 'Remove external id 3' }).click()

      const blocked = form.getByRole('textbox', { name: /Values that never identify anyone/ })
      await blocked.fill(`${await blocked.inputValue()}\nanon-kiosk`)
      await form.getByRole('button', { name: 'Add external id' }).click()
      await form.getByLabel('External id 3 kind').fill('phone')
      await form.getByLabel('External id 3 paths').fill('traits.phone, context.traits.phone')
      await form.getByRole('button', { name: 'Save', exact: true }).click()
      await form.getByRole('status').filter({ hasText: 'Saved.' }).waitFor()
      const saved = (await t.get('/api/identity/settings')) as IdentitySettings
      expect(saved.defaultLimit).toBe(4)
      expect(saved.blockedValues).toContain('anon-kiosk')
      expect(saved.externalIds.at(-1)).toEqual({ kind: 'phone', paths: ['traits.phone', 'context.traits.phone'] })
      await screenshot(page, 'profiles-merge-rules')

      // Rebuilding asks first; under the new rules the kiosk id identifies no one.
      await form.getByRole('button', { name: 'Save and rebuild from history' }).click()
      const dialog = page.getByRole('dialog', { name: 'Rebuild every profile from history?' })
      await dialog.waitFor()
      await screenshot(page, 'profiles-rebuild-confirm')
      await dialog.getByRole('button', { name: 'Save and rebuild' }).click()
      // It says it is rebuilding, then (the page asks the engine) that it is done.
      await form.getByRole('status').filter({ hasText: /Rebuil/ }).waitFor()
      await t.indexNow()
      await form.getByRole('status').filter({ hasText: /^Rebuilt/ }).waitFor()
      await screenshot(page, 'profiles-rebuilt')
      const bob = await profileOf('user-bob')
      expect(bob.identityList.map((i) => i.value)).not.toContain('anon-kiosk')
      await expectCleanConsole(ui.watch, [/status of 400/])
    } finally {
      await ui.close()
    }
  })

  it('draws a person with many long identifiers larger, with labels apart and cut in the middle', async () => {
    // Four of each kind (the limit is 4 now), then a fifth of each: refused, so drawn apart.
    const email = (i: number): string => `a.very.long.email.address.for.testing.layout.${i}@some-really-long-subdomain.example-company.com`
    const anon = (i: number): string => `device-anon-${i}-${'y'.repeat(40)}`
    for (let i = 1; i <= 5; i++) {
      await send((a) => a.identify({ userId: 'user-many', anonymousId: anon(i), traits: { email: email(i) }, context: { device: { id: `phone-${i}` } } }))
    }
    const many = await profileOf('user-many')
    expect(many.identityList.length).toBeGreaterThanOrEqual(12)
    const ui = await openUi(browser, t, `/profiles/${many.id}/graph`)
    const { page } = ui
    try {
      const svg = page.getByRole('img', { name: 'Identity graph' })
      await svg.waitFor()
      const own = svg.locator('.graph-node:not(.foreign)')
      await expect.poll(() => own.count()).toBe(many.identityList.length)
      expect(await svg.locator('.graph-node.foreign').count()).toBeGreaterThan(0)

      // The whole drawing shows (no box squeezed around it) and it uses the width there is.
      const figure = page.locator('.graph-figure')
      const box = await svg.boundingBox()
      expect(box!.height).toBeGreaterThan(500)
      expect(await figure.evaluate((el) => el.scrollHeight - el.clientHeight)).toBeLessThanOrEqual(1)
      expect(box!.width).toBeGreaterThanOrEqual(await figure.evaluate((el) => el.clientWidth - 2))

      // Labels as drawn, measured by the browser (a node's two lines together): none overlaps another's.
      const rects = await svg.locator('.graph-node').evaluateAll((nodes) =>
        nodes.map((node) => {
          const lines = [...node.querySelectorAll('text')].map((el) => el.getBoundingClientRect())
          return { left: Math.min(...lines.map((r) => r.left)), right: Math.max(...lines.map((r) => r.right)), top: Math.min(...lines.map((r) => r.top)), bottom: Math.max(...lines.map((r) => r.bottom)) }
        })
      )
      const apart = (a: (typeof rects)[number], b: (typeof rects)[number]): boolean => a.right <= b.left + 0.5 || b.right <= a.left + 0.5 || a.bottom <= b.top + 0.5 || b.bottom <= a.top + 0.5
      for (const [i, a] of rects.entries()) {
        for (const b of rects.slice(i + 1)) expect(apart(a, b), `labels at ${JSON.stringify(a)} and ${JSON.stringify(b)}`).toBe(true)
      }

      // Long values are cut in the middle, told apart, and whole in the tooltip.
      const values = await svg.locator('.graph-node .node-value').allTextContents()
      expect(new Set(values).size).toBe(values.length)
      const first = svg.locator(`.graph-node[data-value="${email(1)}"]`)
      const label = await first.locator('.node-value').textContent()
      expect(label).toMatch(/^a\.very.*….*\.1@.*…/)
      expect(label!.length).toBeLessThan(30)
      expect(await first.locator('title').textContent()).toContain(email(1))
      await screenshot(page, 'profiles-graph-many')
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
