// The main window. Its webPreferences are the renderer's sandbox, so they are spelled out in full even
// where they match Electron's defaults: a default can change between versions, an explicit value
// cannot, and the unit test asserts each one on the options object BrowserWindow receives.

import { BrowserWindow, screen, type WebPreferences } from 'electron'
import { DEFAULT_SIZE, MIN_HEIGHT, MIN_WIDTH, isReachable, loadWindowState, saveWindowState } from './window-state'

export function secureWebPreferences(preload: string): WebPreferences {
  return {
    preload,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webviewTag: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    experimentalFeatures: false,
    navigateOnDragDrop: false,
    safeDialogs: true,
    spellcheck: false
  }
}

export interface MainWindowOptions {
  /** Absolute path of out/preload/index.cjs. */
  preload: string
  /** JSON file for size and position. */
  stateFile: string
  icon?: string
}

export function createMainWindow(options: MainWindowOptions): BrowserWindow {
  const saved = loadWindowState(options.stateFile)
  const usable = saved && isReachable(saved.bounds, screen.getAllDisplays().map((d) => d.workArea)) ? saved : null
  const win = new BrowserWindow({
    ...(usable ? usable.bounds : DEFAULT_SIZE),
    minWidth: MIN_WIDTH,
    minHeight: MIN_HEIGHT,
    show: false,
    title: 'Loupe',
    backgroundColor: '#111418',
    ...(options.icon ? { icon: options.icon } : {}),
    webPreferences: secureWebPreferences(options.preload)
  })
  if (usable?.maximized) win.maximize()
  // Shown when painted; the timer covers a load that never paints (engine down, error page).
  const reveal = (): void => {
    if (!win.isDestroyed() && !win.isVisible()) win.show()
  }
  win.once('ready-to-show', reveal)
  setTimeout(reveal, 3000).unref?.()
  rememberBounds(win, options.stateFile)
  return win
}

function rememberBounds(win: BrowserWindow, file: string): void {
  let timer: ReturnType<typeof setTimeout> | null = null
  const save = (): void => {
    if (timer) clearTimeout(timer)
    timer = null
    if (!win.isDestroyed()) saveWindowState(file, { bounds: win.getNormalBounds(), maximized: win.isMaximized() })
  }
  const later = (): void => {
    if (timer) clearTimeout(timer)
    timer = setTimeout(save, 500)
  }
  win.on('resize', later)
  win.on('move', later)
  win.on('close', save)
}
