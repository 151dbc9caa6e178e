import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => {
  const windows: Array<{ options: Record<string, unknown>; listeners: Map<string, () => void>; maximize: ReturnType<typeof vi.fn> }> = []
  class BrowserWindow {
    listeners = new Map<string, () => void>()
    maximize = vi.fn()
    constructor(readonly options: Record<string, unknown>) {
      windows.push(this)
    }
    on(name: string, fn: () => void) {
      this.listeners.set(name, fn)
      return this
    }
    once(name: string, fn: () => void) {
      return this.on(name, fn)
    }
    isDestroyed = () => false
    isVisible = () => false
    isMaximized = () => false
    show = vi.fn()
    getNormalBounds = () => ({ x: 10, y: 20, width: 1000, height: 700 })
  }
  return {
    windows,
    BrowserWindow,
    screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }
  }
})
vi.mock('electron', () => ({ BrowserWindow: electron.BrowserWindow, screen: electron.screen }))

import { createMainWindow, secureWebPreferences } from './window'

let dir: string
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loupe-window-'))
  electron.windows.length = 0
})
afterEach(() => rmSync(dir, { recursive: true, force: true }))

describe('the main window', () => {
  it('is created with the sandboxed, isolated webPreferences', () => {
    createMainWindow({ preload: '/app/out/preload/index.cjs', stateFile: join(dir, 'w.json') })
    const options = electron.windows[0]!.options
    expect(options.show).toBe(false)
    expect(options.webPreferences).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webviewTag: false,
      webSecurity: true,
      allowRunningInsecureContent: false
    })
  })

  it('spells out every security preference rather than trusting defaults', () => {
    const prefs = secureWebPreferences('/p.cjs')
    for (const key of ['contextIsolation', 'sandbox', 'nodeIntegration', 'nodeIntegrationInWorker', 'nodeIntegrationInSubFrames', 'webviewTag'] as const) {
      expect(prefs[key], key).toBeTypeOf('boolean')
    }
  })

  it('comes back where it was, and saves where it went', () => {
    const file = join(dir, 'w.json')
    writeFileSync(file, JSON.stringify({ bounds: { x: 100, y: 50, width: 900, height: 600 }, maximized: true }))
    createMainWindow({ preload: '/p.cjs', stateFile: file })
    const win = electron.windows[0]!
    expect(win.options).toMatchObject({ x: 100, y: 50, width: 900, height: 600 })
    expect(win.maximize).toHaveBeenCalled()
    win.listeners.get('close')!()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ bounds: { x: 10, y: 20, width: 1000, height: 700 }, maximized: false })
  })

  it('ignores a saved position that is off every screen', () => {
    const file = join(dir, 'w.json')
    writeFileSync(file, JSON.stringify({ bounds: { x: 5000, y: 5000, width: 900, height: 600 }, maximized: false }))
    createMainWindow({ preload: '/p.cjs', stateFile: file })
    expect(electron.windows[0]!.options).not.toHaveProperty('x')
    expect(electron.windows[0]!.options).toMatchObject({ width: 1280, height: 820 })
  })
})
