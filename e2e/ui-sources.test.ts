// The Sources screen in Chromium against a real engine: create, rename and delete (with a confirmation)
// through the UI, copy a write key, and the snippets point at this Loupe.

import type { Browser } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Source } from '../src-shared/api'
import { startTestEngine, type TestEngine } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, readClipboard, screenshot } from './support/ui-session'

let t: TestEngine
let browser: Browser

beforeAll(async () => {
  t = await startTestEngine()
  browser = await launchChromium()
  await t.track('/v1/track', { userId: 'u1', event: 'Signed Up' }, 'wk_auto_web')
})

afterAll(async () => {
  await browser?.close()
  await t?.stop()
})

async function sources(): Promise<Source[]> {
  return (await t.get('/api/sources')).sources as Source[]
}

describe('Sources', () => {
  it('creates, renames and deletes a source through the UI', async () => {
    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const auto = page.getByRole('article', { name: 'Source wk_auto_web' })
      await auto.waitFor()
      expect(await auto.innerText()).toContain('auto-created')

      // Create, with a fixed write key.
      await page.getByRole('textbox', { name: 'New source name' }).fill('Checkout web')
      await page.getByRole('textbox', { name: 'Write key (optional)' }).fill('wk_checkout_ci')
      await page.getByRole('button', { name: 'Create source' }).click()
      const card = page.getByRole('article', { name: 'Source Checkout web' })
      await card.waitFor()
      expect(await card.locator('.write-key code').innerText()).toBe('wk_checkout_ci')
      expect(await card.innerText()).not.toContain('auto-created')
      const created = (await sources()).find((s) => s.writeKey === 'wk_checkout_ci')!
      expect(created).toMatchObject({ name: 'Checkout web', autoCreated: false })

      // A duplicate key is refused with the engine's message.
      await page.getByRole('textbox', { name: 'New source name' }).fill('Again')
      await page.getByRole('textbox', { name: 'Write key (optional)' }).fill('wk_checkout_ci')
      await page.getByRole('button', { name: 'Create source' }).click()
      await page.getByRole('form', { name: 'Create source' }).getByRole('alert').waitFor()

      await card.getByRole('button', { name: 'Copy write key of Checkout web' }).click()
      await expect.poll(() => readClipboard(page)).toBe('wk_checkout_ci')

      // The event counter links to the Events screen filtered on this source; events show up there.
      await t.track('/v1/track', { userId: 'u2', event: 'Checkout Viewed' }, 'wk_checkout_ci')

      // Rename.
      await card.getByRole('button', { name: 'Rename' }).click()
      const nameInput = page.getByRole('form', { name: 'Rename Checkout web' }).getByRole('textbox', { name: 'Source name' })
      await nameInput.fill('Checkout (web)')
      await nameInput.press('Enter')
      const renamed = page.getByRole('article', { name: 'Source Checkout (web)' })
      await renamed.waitFor()
      await expect.poll(async () => (await sources()).find((s) => s.id === created.id)?.name).toBe('Checkout (web)')

      await renamed.getByRole('button', { name: 'Show snippets' }).click()
      await screenshot(page, 'sources')

      // Delete: a confirmation first; cancelling keeps it.
      await renamed.getByRole('button', { name: 'Delete' }).click()
      const dialog = page.getByRole('dialog', { name: 'Delete “Checkout (web)”?' })
      await dialog.waitFor()
      await expect.poll(() => dialog.innerText()).toContain('1 stored event')
      await screenshot(page, 'sources-delete-confirm')
      await dialog.getByRole('button', { name: 'Cancel' }).click()
      await expect.poll(() => dialog.isVisible()).toBe(false)
      expect((await sources()).some((s) => s.id === created.id)).toBe(true)

      await renamed.getByRole('button', { name: 'Delete' }).click()
      await dialog.getByRole('button', { name: 'Delete source and its events' }).click()
      await expect.poll(() => renamed.count()).toBe(0)
      expect((await t.admin(`/api/sources/${created.id}`)).status).toBe(404)
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })

  it('offers analytics.js, analytics-node and curl snippets pointing at this Loupe', async () => {
    const ui = await openUi(browser, t, '/sources')
    const { page } = ui
    try {
      const card = page.getByRole('article', { name: 'Source wk_auto_web' })
      await card.getByRole('button', { name: 'Show snippets' }).click()
      const code = card.locator('.source-snippets pre')
      const js = await code.innerText()
      expect(js).toContain(`t.src="${t.baseUrl}/analytics.js/v1/"+key+"/analytics.min.js";`)
      expect(js).toContain(`analytics._cdn="${t.baseUrl}";`)
      expect(js).toContain('analytics.load("wk_auto_web");')
      await card.getByRole('button', { name: 'Copy analytics.js snippet' }).click()
      await expect.poll(() => readClipboard(page)).toBe(js)

      await card.getByRole('tab', { name: 'analytics-node' }).click()
      expect(await code.innerText()).toContain(`new Analytics({ writeKey: "wk_auto_web", host: "${t.baseUrl}" })`)
      await card.getByRole('tab', { name: 'curl' }).click()
      expect(await code.innerText()).toContain(`curl -u 'wk_auto_web:' '${t.baseUrl}/v1/track'`)

      // The event count links to Events, filtered on the source.
      await card.getByRole('link', { name: '1', exact: true }).click()
      await expect.poll(() => page.url()).toMatch(/\/events\?source=\d+$/)
      await page.getByRole('listbox', { name: 'Stored events' }).getByText('Signed Up').waitFor()
      await expectCleanConsole(ui.watch)
    } finally {
      await ui.close()
    }
  })
})
