// The real desktop app, driven by Playwright's Electron support: sandboxed window on the engine's
// origin, the preload bridge, and the navigation/new-window/IPC guards, end to end.
//
// Needs what `npm start` sets up on a machine with internet: Electron's binary (node_modules/electron/
// dist) and better-sqlite3 built for Electron (.electron-native/, or LOUPE_NATIVE_BINDING), plus a
// display on Linux (xvfb-run). Where any is missing — as on the offline build machine — the tests are
// skipped, and the skip names the reason.

import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { _electron, type ElectronApplication, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const ROOT = join(import.meta.dirname, '..')
const NATIVE_BINDING = process.env.LOUPE_NATIVE_BINDING || join(ROOT, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

function electronBinary(): string | null {
  try {
    // In plain Node, require('electron') is the binary's path — or throws when it was never downloaded.
    const path = createRequire(import.meta.url)('electron') as unknown
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null
  }
}

function whyNot(): string | null {
  if (!electronBinary()) return "no Electron binary (node_modules/electron/dist); run `npm start` once with internet"
  if (!existsSync(NATIVE_BINDING)) return 'no Electron-ABI better-sqlite3 (.electron-native/); run `npm start` once with internet'
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) return 'no display; run under xvfb-run'
  if (!existsSync(join(ROOT, 'out', 'main', 'index.js')) || !existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return 'no build; run `npm run build`'
  return null
}

const skipReason = whyNot()
if (skipReason) console.info(`e2e/electron.test.ts skipped: ${skipReason}`)
const desktopIt = it.skipIf(skipReason !== null)
const suffix = skipReason ? ` [skipped: ${skipReason}]` : ''

describe('desktop app (Electron)', () => {
  let app: ElectronApplication
  let page: Page
  let origin: string
  const dirs: string[] = []

  beforeAll(async () => {
    if (skipReason) return
    const dataDir = mkdtempSync(join(tmpdir(), 'loupe-electron-data-'))
    const userData = mkdtempSync(join(tmpdir(), 'loupe-electron-profile-'))
    dirs.push(dataDir, userData)
    app = await _electron.launch({
      executablePath: electronBinary()!,
      args: [ROOT],
      env: { ...process.env, LOUPE_DATA_DIR: dataDir, LOUPE_USER_DATA_DIR: userData, LOUPE_PORT: '0', LOUPE_NATIVE_BINDING: NATIVE_BINDING } as Record<string, string>,
      timeout: 60_000
    })
    page = await app.firstWindow()
    await page.waitForURL(/^http:\/\/127\.0\.0\.1:\d+\/$/, { timeout: 30_000 })
    origin = new URL(page.url()).origin
    // Record instead of opening a real browser.
    await app.evaluate(({ shell }) => {
      const opened: string[] = []
      ;(globalThis as { __opened?: string[] }).__opened = opened
      shell.openExternal = async (url: string) => void opened.push(url)
    })
  }, 90_000)

  afterAll(async () => {
    await app?.close()
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true })
  })

  const opened = () => app.evaluate(() => (globalThis as { __opened?: string[] }).__opened ?? [])

  desktopIt(`shows the UI from the engine's loopback origin, signed in by cookie${suffix}`, async () => {
    expect(page.url()).toBe(`${origin}/`)
    // Page code is passed as strings: this project type-checks without the DOM library.
    expect(await page.evaluate('document.cookie')).toBe('') // HttpOnly: page JS never sees the session
    expect(await page.evaluate("fetch('/api/stats').then((r) => r.status)")).toBe(200)
  })

  desktopIt(`runs the page sandboxed and isolated, with only the named bridge${suffix}`, async () => {
    const seen = await page.evaluate(
      '({ require: typeof require, process: typeof process, bridge: Object.keys(window.loupeDesktop ?? {}).sort(), isDesktop: window.loupeDesktop?.isDesktop })'
    )
    expect(seen).toEqual({ require: 'undefined', process: 'undefined', bridge: ['isDesktop', 'openExternal'], isDesktop: true })
    // getLastWebPreferences is what Electron's own tests use; it is missing from electron.d.ts.
    const prefs = await app.evaluate(({ BrowserWindow }) =>
      (BrowserWindow.getAllWindows()[0]!.webContents as unknown as { getLastWebPreferences(): unknown }).getLastWebPreferences()
    )
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false })
  })

  desktopIt(`keeps the window on its origin and sends only http(s) links to the browser${suffix}`, async () => {
    const port = new URL(origin).port
    const lookalike = `http://127.0.0.1.evil.example:${port}/`
    await page.evaluate(`(() => {
      window.open('https://example.invalid/?next=127.0.0.1')
      window.open('file:///etc/passwd')
      const link = document.createElement('a')
      link.href = ${JSON.stringify(lookalike)}
      document.body.append(link)
      link.click()
    })()`)
    await page.waitForTimeout(500)
    await page.evaluate("location.href = 'file:///etc/passwd'")
    await page.waitForTimeout(500)
    expect(new URL(page.url()).origin).toBe(origin)
    expect(app.windows()).toHaveLength(1)
    expect((await opened()).sort()).toEqual([lookalike, 'https://example.invalid/?next=127.0.0.1'].sort())
  })

  desktopIt(`openExternal over the bridge refuses non-http(s) URLs${suffix}`, async () => {
    const results = await page.evaluate(
      "Promise.all(['https://segment.com/docs/', 'file:///etc/passwd', 'smb://x/y'].map((url) => window.loupeDesktop.openExternal(url)))"
    )
    expect(results).toEqual([true, false, false])
    expect(await opened()).toContain('https://segment.com/docs/')
    expect(await opened()).not.toContain('file:///etc/passwd')
  })
})
