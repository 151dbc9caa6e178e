// The desktop app's main process (out/main/index.js): app lifecycle, the one window, tray, menu, and
// the engine running in a utility process.
//
// Threat model: main holds the admin token and can do anything the user can. What it trusts: the engine
// host (our process, private port). What it does not: every web page, including our own UI, which shows
// attacker-controlled event payloads — hence security.ts on every web contents, the sandboxed window,
// and IPC only through the sender-checking wrapper. One instance per user profile, so two apps never
// race for the same data dir and port.

import { BrowserWindow, Menu, Notification, app, dialog, safeStorage, session, shell, utilityProcess } from 'electron'
import { serveSecrets } from './secrets'
import { join } from 'node:path'
import { DESKTOP_IPC } from '../../src-shared/desktop-api'
import { resolveConfig, type EngineConfig } from '../engine/config'
import { desktopPaths, type DesktopPaths } from './app-paths'
import type { EngineReadyMessage } from './engine-protocol'
import { EngineSupervisor, type HostProcess } from './engine-supervisor'
import { appMenuTemplate } from './menu'
import { handleIpc, installSecurity, openExternalUrl } from './security'
import { LoupeTray } from './tray'
import { createMainWindow } from './window'

const SPEC_URL = 'https://segment.com/docs/connections/spec/'

// Tests and side-by-side profiles: a separate userData also means a separate single-instance lock.
if (process.env.LOUPE_USER_DATA_DIR) app.setPath('userData', process.env.LOUPE_USER_DATA_DIR)
// Every renderer sandboxed, whatever a future BrowserWindow forgets to say.
app.enableSandbox()

interface Desktop {
  config: EngineConfig
  paths: DesktopPaths
  engine: EngineSupervisor
}

let desktop: Desktop | null = null
let mainWindow: BrowserWindow | null = null
let tray: LoupeTray | null = null
let quitState: 'running' | 'stopping' | 'stopped' = 'running'

if (!app.requestSingleInstanceLock()) {
  app.quit()
} else {
  app.on('second-instance', () => showWindow())
  app.whenReady().then(boot, (error: unknown) => fail(`Electron failed to start: ${String(error)}`))
}

function boot(): void {
  let config: EngineConfig
  let paths: DesktopPaths
  try {
    config = resolveConfig({}, process.env)
    paths = desktopPaths(app.getAppPath(), { isPackaged: app.isPackaged, platform: process.platform, env: process.env })
  } catch (error) {
    return fail((error as Error).message)
  }
  const engine = new EngineSupervisor({
    fork: () => forkEngineHost(paths.engineHost),
    startMessage: () => ({ type: 'start', dataDir: config.dataDir, port: config.port, nativeBinding: paths.nativeBinding, rendererDir: paths.rendererDir }),
    events: {
      ready: (ready, restarted) => {
        if (restarted) notify('Loupe engine restarted', `Listening on ${ready.baseUrl}.`)
        else if (ready.portFallback) notify(`Port ${config.port} is taken`, `Loupe listens on ${ready.baseUrl} instead; point your clients there.`)
        // After a restart, reload an open window (the port may have changed) but do not pop one up.
        if (!restarted || mainWindow) loadUi(ready)
      },
      down: ({ code, reason, restartInMs }) =>
        notify('Loupe engine stopped', `${reason ?? `Exit code ${code}`}. Restarting in ${Math.ceil(restartInMs / 1000)} s; clients retry meanwhile.`),
      fatal: (message) => fail(message)
    }
  })
  desktop = { config, paths, engine }
  const origin = (): string | null => engine.origin()
  installSecurity(app, session.defaultSession, origin)
  handleIpc(DESKTOP_IPC.openExternal, origin, (url) => openExternalUrl(url))
  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      appMenuTemplate(
        { isMac: process.platform === 'darwin', isPackaged: app.isPackaged },
        { showDataDir: () => void shell.openPath(config.dataDir), openDocs: () => openExternalUrl(SPEC_URL) }
      )
    )
  )
  try {
    tray = new LoupeTray(paths.trayIcon, {
      open: () => showWindow(),
      quit: () => app.quit(),
      target: () => {
        const current = engine.current()
        return current ? { baseUrl: current.baseUrl, token: current.token } : null
      }
    })
  } catch (error) {
    process.stderr.write(`loupe: no tray icon (${String(error)}); closing the window quits.\n`)
  }
  engine.start()
}

function ensureWindow(paths: DesktopPaths): BrowserWindow {
  if (mainWindow) return mainWindow
  const created = createMainWindow({ preload: paths.preload, stateFile: join(app.getPath('userData'), 'window-state.json'), icon: paths.windowIcon })
  created.on('closed', () => (mainWindow = null))
  mainWindow = created
  return created
}

/**
 * The login URL trades the token for an HttpOnly SameSite=Strict cookie and redirects to `/`: the page
 * runs on the engine's own origin (same-origin /api, no CORS) and its JavaScript never sees the token.
 */
function loadUi(ready: EngineReadyMessage): void {
  if (!desktop) return
  // A failed load (engine restarting) shows Chromium's error page; the next `ready` loads again.
  ensureWindow(desktop.paths).loadURL(ready.loginUrl).catch((error: unknown) => process.stderr.write(`loupe: UI did not load: ${String(error)}\n`))
}

function showWindow(): void {
  const current = desktop?.engine.current()
  if (!mainWindow && current) loadUi(current)
  if (!mainWindow) return
  if (mainWindow.isMinimized()) mainWindow.restore()
  mainWindow.show()
  mainWindow.focus()
}

function forkEngineHost(entry: string): HostProcess {
  const child = utilityProcess.fork(entry, [], { serviceName: 'Loupe engine', stdio: 'inherit' })
  // Destination secrets: the engine asks over this port; main seals them with the OS keychain.
  serveSecrets(child, safeStorage, (message) => process.stderr.write(`loupe: ${message}\n`))
  return {
    onMessage: (listener) => void child.on('message', listener),
    onExit: (listener) => void child.on('exit', listener),
    postMessage: (message) => child.postMessage(message),
    kill: () => void child.kill()
  }
}

function notify(title: string, body: string): void {
  process.stderr.write(`loupe: ${title}: ${body}\n`)
  if (Notification.isSupported()) new Notification({ title, body }).show()
}

function fail(message: string): void {
  process.stderr.write(`loupe: ${message}\n`)
  if (app.isReady()) dialog.showErrorBox('Loupe cannot start', message)
  quitState = 'stopped'
  app.exit(1)
}

// Closing the window keeps Loupe running in the tray: receiving events is its job. If no tray could be
// made, closing the last window quits. (Where a tray icon is invisible, starting Loupe again brings the
// window back: second-instance.)
app.on('window-all-closed', () => {
  if (!tray) app.quit()
})
app.on('activate', () => showWindow())

// Quit stops the engine gracefully first: in-flight requests finish and their commits land.
app.on('before-quit', (event) => {
  if (quitState === 'stopped') return
  event.preventDefault()
  if (quitState === 'stopping') return
  quitState = 'stopping'
  tray?.destroy()
  tray = null
  void (desktop?.engine.stop() ?? Promise.resolve()).finally(() => {
    quitState = 'stopped'
    app.quit()
  })
})
