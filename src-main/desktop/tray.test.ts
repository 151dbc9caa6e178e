import { afterEach, describe, expect, it, vi } from 'vitest'
import type { MenuItemConstructorOptions } from 'electron'

const mocks = vi.hoisted(() => {
  const trays: Array<{ menus: MenuItemConstructorOptions[][]; tooltip: string; listeners: Map<string, () => void>; destroyed: boolean }> = []
  class Tray {
    menus: MenuItemConstructorOptions[][] = []
    tooltip = ''
    listeners = new Map<string, () => void>()
    destroyed = false
    constructor() {
      trays.push(this)
    }
    setToolTip(text: string) {
      this.tooltip = text
    }
    setTitle() {}
    setContextMenu(menu: MenuItemConstructorOptions[]) {
      this.menus.push(menu)
    }
    on(name: string, fn: () => void) {
      this.listeners.set(name, fn)
    }
    destroy() {
      this.destroyed = true
    }
  }
  return {
    trays,
    electron: { Tray, Menu: { buildFromTemplate: (t: unknown) => t }, nativeImage: { createFromPath: (p: string) => ({ p }) } },
    fetchStats: vi.fn(),
    setCapturePaused: vi.fn()
  }
})
vi.mock('electron', () => mocks.electron)
vi.mock('./admin-client', () => ({ fetchStats: mocks.fetchStats, setCapturePaused: mocks.setCapturePaused }))

import { LoupeTray, compactCount, countLabel, trayMenuTemplate } from './tray'

const target = { baseUrl: 'http://127.0.0.1:7420', token: 't' }
const stats = (total: number, paused = false) => ({ events: { total }, capture: { paused } })

afterEach(() => {
  for (const tray of mocks.trays.splice(0)) tray.destroyed = true
  mocks.fetchStats.mockReset()
  mocks.setCapturePaused.mockReset()
})

describe('tray menu', () => {
  const actions = { open: vi.fn(), quit: vi.fn(), target: () => target }

  it('shows the count, Open, Pause capture and Quit', () => {
    const menu = trayMenuTemplate({ events: 12345, paused: false }, actions, () => {})
    expect(menu.map((item) => item.label ?? item.type)).toEqual(['12,345 events', 'separator', 'Open Loupe', 'Pause capture', 'separator', 'Quit Loupe'])
    expect(menu[0]!.enabled).toBe(false)
    menu[2]!.click!({} as never, undefined, {} as never)
    menu[5]!.click!({} as never, undefined, {} as never)
    expect(actions.open).toHaveBeenCalled()
    expect(actions.quit).toHaveBeenCalled()
  })

  it('cannot pause while the engine is starting', () => {
    const menu = trayMenuTemplate({ events: null, paused: false }, actions, () => {})
    expect(menu[0]!.label).toBe('Engine starting…')
    expect(menu[3]!.enabled).toBe(false)
  })

  it('labels', () => {
    expect(countLabel({ events: 1, paused: false })).toBe('1 event')
    expect(countLabel({ events: 0, paused: true })).toBe('0 events — capture paused')
    expect([999, 1500, 25_000, 1_200_000, 34_000_000].map(compactCount)).toEqual(['999', '1.5k', '25k', '1.2M', '34M'])
  })
})

describe('LoupeTray', () => {
  it('polls the stats into the menu and pauses through the admin API', async () => {
    mocks.fetchStats.mockResolvedValue(stats(3))
    mocks.setCapturePaused.mockResolvedValue({ paused: true })
    const open = vi.fn()
    const tray = new LoupeTray('/icon.png', { open, quit: vi.fn(), target: () => target }, 60_000)
    await tray.refresh()
    const fake = mocks.trays[0]!
    expect(mocks.fetchStats).toHaveBeenCalledWith(target)
    expect(fake.tooltip).toBe('Loupe — 3 events')
    const pause = fake.menus.at(-1)!.find((item) => item.label === 'Pause capture')!
    expect(pause.checked).toBe(false)
    pause.click!({} as never, undefined, {} as never)
    await vi.waitFor(() => expect(fake.menus.at(-1)!.find((item) => item.label === 'Pause capture')!.checked).toBe(true))
    expect(mocks.setCapturePaused).toHaveBeenCalledWith(target, true)
    fake.listeners.get('click')!()
    expect(open).toHaveBeenCalled()
    tray.destroy()
    expect(fake.destroyed).toBe(true)
  })

  it('shows the engine as starting when it does not answer, and rebuilds the menu only on change', async () => {
    mocks.fetchStats.mockRejectedValue(new Error('ECONNREFUSED'))
    const tray = new LoupeTray('/icon.png', { open: vi.fn(), quit: vi.fn(), target: () => target }, 60_000)
    await tray.refresh()
    await tray.refresh()
    const fake = mocks.trays[0]!
    expect(fake.tooltip).toBe('Loupe — Engine starting…')
    expect(fake.menus).toHaveLength(1)
    tray.destroy()
  })
})
