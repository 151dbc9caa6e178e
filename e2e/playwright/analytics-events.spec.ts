// The QA surface as a customer's Playwright suite uses it: the published fixture (a headless Loupe per
// worker, a test run per test) and a page that sends its events with analytics.js through the run's write
// key. Also the Runs screen of the UI, checking an expectations file against a run.

import { mkdirSync } from 'node:fs'
import { join } from 'node:path'
import { expect, test as base, type Page } from '@playwright/test'
import { LoupeAssertionError } from '../../testing/client'
import { loupeFixtures, type LoupeTestFixtures, type LoupeWorkerFixtures } from '../../testing/playwright'
import { startShopSite, type ShopSite } from './shop-site'

const test = base.extend<LoupeTestFixtures & { shop: ShopSite }, LoupeWorkerFixtures>({
  ...loupeFixtures,
  shop: async ({}, use) => {
    const shop = await startShopSite()
    await use(shop)
    await shop.close()
  }
})

const CHECKOUT = `
analytics.identify('user-1', { email: 'ada@example.com' });
analytics.track('Order Completed', { total: 10, currency: 'EUR' });
`

async function visit(page: Page, url: string): Promise<void> {
  await page.goto(url, { waitUntil: 'load' })
  await page.waitForFunction('window.analytics && window.analytics.initialized === true', undefined, { timeout: 15_000 })
}

test('the events are right: waitForEvent, expectEvent and an expectations file hold', async ({ page, loupe, loupeRun, shop }) => {
  await visit(page, shop.page('checkout', loupe.url, loupeRun.writeKey, CHECKOUT))

  const order = await loupeRun.waitForEvent({ type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] })
  expect(order.matched).toBe(true)
  await loupeRun.waitForEvent({ type: 'identify', userId: 'user-1' })
  await loupeRun.expectEvent({ type: 'track', event: 'Order Completed', where: [{ path: 'properties.currency', matches: '^[A-Z]{3}$' }] }, 1)

  const checked = await loupe.checkExpectations({
    run: loupeRun.id,
    expect: [
      { name: 'checkout', match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, count: 1 },
      { name: 'signed in', match: { type: 'identify', userId: 'user-1', where: [{ path: 'traits.email', exists: true }] } }
    ]
  })
  expect(checked.passed, checked.report).toBe(true)
})

test('one wrong property fails with a readable diff naming it and its value', async ({ page, loupe, loupeRun, shop }) => {
  await visit(page, shop.page('wrong-total', loupe.url, loupeRun.writeKey, `analytics.track('Order Completed', { total: 12, currency: 'EUR' });`))
  await loupeRun.waitForEvent({ type: 'track', event: 'Order Completed' })

  const failure = loupeRun.expectEvent({ type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, 1)
  await expect(failure).rejects.toBeInstanceOf(LoupeAssertionError)
  const error = (await failure.catch((e: unknown) => e)) as LoupeAssertionError
  expect(error.message).toContain('properties.total: expected 10, got 12')
  expect(error.result.matched).toBe(false)

  const file = await loupe.checkExpectations({
    run: loupeRun.id,
    expect: [{ name: 'checkout', match: { type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, count: 1 }]
  })
  expect(file.passed).toBe(false)
  expect(file.report).toContain('properties.total: expected 10, got 12')
})

test('two runs in parallel never see each other’s events', async ({ browser, loupe, loupeRun, shop }) => {
  const other = await loupe.startRun('the parallel run')
  const [a, b] = await Promise.all([browser.newContext(), browser.newContext()])
  try {
    const [pageA, pageB] = await Promise.all([a.newPage(), b.newPage()])
    await Promise.all([
      visit(pageA, shop.page('run-a', loupe.url, loupeRun.writeKey, `analytics.track('Signed Up', { plan: 'a' });`)),
      visit(pageB, shop.page('run-b', loupe.url, other.writeKey, `analytics.track('Signed Up', { plan: 'b' });`))
    ])
    await Promise.all([loupeRun.waitForEvent({ event: 'Signed Up' }), other.waitForEvent({ event: 'Signed Up' })])

    const [seenByA, seenByB] = await Promise.all([loupeRun.events({ event: 'Signed Up' }), other.events({ event: 'Signed Up' })])
    expect(seenByA.map((e) => (e.payload.properties as { plan: string }).plan)).toEqual(['a'])
    expect(seenByB.map((e) => (e.payload.properties as { plan: string }).plan)).toEqual(['b'])
    // the other run's event is right there in the store, and still not a match for this run
    await expect(loupeRun.expectEvent({ event: 'Signed Up', where: [{ path: 'properties.plan', equals: 'b' }] })).rejects.toThrow('properties.plan: expected "b", got "a"')
  } finally {
    await Promise.all([a.close(), b.close()])
    await other.endRun()
  }
})

test('wait-for answers with the event once it commits', async ({ page, loupe, loupeRun, shop }) => {
  // asked before the page even exists: the engine holds the request until the event commits
  const waiting = loupeRun.waitForEvent({ type: 'track', event: 'Coupon Applied', where: [{ path: 'properties.code', equals: 'SPRING' }] }, { timeoutMs: 30_000 })
  await visit(page, shop.page('coupon', loupe.url, loupeRun.writeKey, `analytics.track('Coupon Applied', { code: 'SPRING' });`))
  const result = await waiting
  expect(result.matched).toBe(true)
  expect(result.count).toBe(1)
  expect(result.events[0]!.payload.properties).toEqual({ code: 'SPRING' })
})

test('the Runs screen checks pasted expectations against a run', async ({ page, loupe, loupeRun, shop }) => {
  await visit(page, shop.page('ui-checkout', loupe.url, loupeRun.writeKey, CHECKOUT))
  await loupeRun.waitForEvent({ type: 'track', event: 'Order Completed' })
  await loupeRun.waitForEvent({ type: 'identify' })

  await page.setViewportSize({ width: 1440, height: 1300 })
  const errors: string[] = []
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text())
  })
  page.on('pageerror', (error) => errors.push(error.message))
  await page.goto(`${loupe.url}/login?token=${encodeURIComponent(loupe.token)}`)
  await page.waitForURL(`${loupe.url}/live`)
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('link', { name: 'Runs' }).click()
  const runs = page.getByRole('table', { name: 'Test runs' })
  await expect(runs.getByRole('row').filter({ hasText: loupeRun.id })).toContainText(loupeRun.writeKey)
  await shoot(page, 'runs-list')
  await runs.getByRole('link', { name: /the Runs screen/ }).click()
  await expect(page).toHaveURL(`${loupe.url}/runs/${loupeRun.id}`)
  await expect(page.getByRole('list', { name: 'Events of this run' }).getByRole('listitem')).toHaveCount(2)
  await page.getByRole('button', { name: /Order Completed/ }).click()
  await expect(page.locator('.run-event-payload')).toContainText('EUR')
  await shoot(page, 'runs-detail')

  const input = page.getByRole('textbox', { name: 'Expectations (JSON or YAML)' })
  await input.fill(['- name: checkout', '  match: { type: track, event: Order Completed, where: [{ path: properties.total, equals: 11 }] }', '  count: 1'].join('\n'))
  await page.getByRole('button', { name: 'Check expectations' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'failed' })).toHaveText('1 of 1 expectation failed.')
  await expect(page.getByLabel('Expectations report')).toContainText('properties.total: expected 11, got 10')
  await shoot(page, 'runs-expectations-failed')

  await input.fill('expect:\n  - match: { type: identify, userId: user-1 }\n')
  await page.getByRole('button', { name: 'Check expectations' }).click()
  await expect(page.getByRole('status').filter({ hasText: 'hold' })).toHaveText('All 1 expectation hold.')

  await page.getByRole('button', { name: 'End run' }).click()
  await expect(page.getByRole('button', { name: 'End run' })).toHaveCount(0)
  await page.getByRole('button', { name: 'Clear events' }).click()
  await page.getByRole('dialog').getByRole('button', { name: 'Clear events' }).click()
  await expect(page.getByText('Deleted 2 events.')).toBeVisible()
  await expect(page.getByText('No events in this run yet.')).toBeVisible()
  await shoot(page, 'runs-cleared')
  expect(errors).toEqual([])
})

async function shoot(page: Page, name: string): Promise<void> {
  const dir = join(process.cwd(), 'test-results', 'screenshots')
  mkdirSync(dir, { recursive: true })
  await page.screenshot({ path: join(dir, `playwright-${name}.png`), fullPage: true })
}
