// Smoke test of the BUILT desktop main (out/main/index.js) in plain Node, with 'electron' resolved to
// a recording stub (test-support/electron-stub). The stub's utilityProcess.fork starts the real
// out/main/engine-host.js as a Node child, so this boots the real engine, checks the window's options
// and that it loads the engine's login URL, and that quitting stops the engine gracefully.
// What it cannot show: Electron itself (sandbox, preload, IPC) — that is e2e/electron.test.ts.

import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'

const ROOT = join(import.meta.dirname, '..', '..')
const MAIN = join(ROOT, 'out', 'main', 'index.js')
const STUB = join(import.meta.dirname, 'test-support', 'electron-stub', 'register.mjs')
const NODE_BINDING = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

interface StubRecord {
  kind: string
  [key: string]: unknown
}

const dirs: string[] = []
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-smoke-'))
  dirs.push(dir)
  return dir
}

describe('built desktop main (Electron stubbed)', () => {
  it('boots the engine in its host process, opens a sandboxed window on the login URL, and stops the engine on quit', async () => {
    for (const file of [MAIN, join(ROOT, 'out', 'main', 'engine-host.js'), join(ROOT, 'out', 'preload', 'index.cjs')]) {
      expect(existsSync(file), `${file} is missing: run \`npm run build\` first`).toBe(true)
    }
    const dataDir = tempDir()
    const child = spawn(process.execPath, ['--import', STUB, MAIN], {
      cwd: ROOT,
      env: {
        ...process.env,
        STUB_APP_PATH: ROOT,
        STUB_USER_DATA: tempDir(),
        LOUPE_DATA_DIR: dataDir,
        LOUPE_PORT: '0',
        // Plain Node needs Node's build; in Electron this is the .electron-native one.
        LOUPE_NATIVE_BINDING: NODE_BINDING
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    const records = (): StubRecord[] =>
      out
        .split('\n')
        .filter((line) => line.startsWith('STUB '))
        .map((line) => JSON.parse(line.slice(5)) as StubRecord)
    const find = (kind: string) => records().filter((r) => r.kind === kind)

    try {
      await vi.waitFor(() => expect(find('loadURL')).toHaveLength(1), { timeout: 30_000, interval: 50 })
    } catch (error) {
      throw new Error(`${String(error)}\nstdout:\n${out}\nstderr:\n${err}`)
    }

    expect(find('app.enableSandbox')).toHaveLength(1)
    expect(find('utilityProcess.fork')[0]).toMatchObject({ modulePath: join(ROOT, 'out', 'main', 'engine-host.js') })
    expect(find('ipcMain.handle').map((r) => r.channel)).toEqual(['loupe:open-external'])
    for (const handler of ['setPermissionRequestHandler', 'setPermissionCheckHandler', 'setDevicePermissionHandler']) {
      expect(find(`session.${handler}`), handler).toHaveLength(1)
    }
    expect(find('Menu.setApplicationMenu')[0]!.items).toEqual(expect.arrayContaining(['File', 'editMenu', 'View', 'windowMenu']))

    const window = find('BrowserWindow')[0]!.options as { show: boolean; webPreferences: Record<string, unknown> }
    expect(window.show).toBe(false)
    expect(window.webPreferences).toMatchObject({
      preload: join(ROOT, 'out', 'preload', 'index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false
    })

    // The window goes to the engine's login URL, which trades the token for the session cookie.
    const loginUrl = find('loadURL')[0]!.url as string
    expect(loginUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/login\?token=[\w-]{32,}$/)
    const login = await fetch(loginUrl, { redirect: 'manual' })
    expect(login.status).toBe(303)
    expect(login.headers.get('location')).toBe('/')
    expect(login.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Strict/)

    // The tray polls the engine with main's token.
    await vi.waitFor(() => expect(find('Tray.setContextMenu').at(-1)?.items).toContain('0 events'), { timeout: 10_000, interval: 50 })

    // Quit: before-quit stops the engine gracefully (its lock goes), then the app exits.
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
    expect(find('app.quit')).toHaveLength(1)
    expect(existsSync(join(dataDir, 'loupe.lock'))).toBe(false)
  })
})
