// The tray icon: an events counter, and Open / Pause capture / Quit. It keeps Loupe reachable when the
// window is closed — the engine goes on receiving events in the background, which is the point.
// The counter polls GET /api/stats with main's bearer token; "Pause capture" is PUT /api/capture, after
// which the engine answers tracking calls 503 + Retry-After so clients keep their events and retry.

import { Menu, Tray, nativeImage, type MenuItemConstructorOptions } from 'electron'
import { fetchStats, setCapturePaused, type AdminTarget } from './admin-client'

export interface TrayState {
  /** Stored events, or null while the engine is not answering. */
  events: number | null
  paused: boolean
}

export interface TrayActions {
  open(): void
  quit(): void
  /** The engine to ask, or null while it is (re)starting. */
  target(): AdminTarget | null
}

export function countLabel(state: TrayState): string {
  if (state.events === null) return 'Engine starting…'
  const count = `${state.events.toLocaleString('en-US')} event${state.events === 1 ? '' : 's'}`
  return state.paused ? `${count} — capture paused` : count
}

export function trayMenuTemplate(state: TrayState, actions: TrayActions, togglePause: () => void): MenuItemConstructorOptions[] {
  return [
    { label: countLabel(state), enabled: false },
    { type: 'separator' },
    { label: 'Open Loupe', click: () => actions.open() },
    { label: 'Pause capture', type: 'checkbox', checked: state.paused, enabled: state.events !== null, click: togglePause },
    { type: 'separator' },
    { label: 'Quit Loupe', click: () => actions.quit() }
  ]
}

export class LoupeTray {
  private readonly tray: Tray
  private state: TrayState = { events: null, paused: false }
  private shown = ''
  private readonly timer: ReturnType<typeof setInterval>

  constructor(iconPath: string, private readonly actions: TrayActions, pollMs = 2000) {
    this.tray = new Tray(nativeImage.createFromPath(iconPath))
    this.tray.setToolTip('Loupe')
    // Windows and most Linux trays open the menu on right-click only; a left click should open the app.
    this.tray.on('click', () => actions.open())
    this.render()
    this.timer = setInterval(() => void this.refresh(), pollMs)
    void this.refresh()
  }

  async refresh(): Promise<void> {
    const target = this.actions.target()
    try {
      const stats = target ? await fetchStats(target) : null
      this.state = stats ? { events: stats.events.total, paused: stats.capture.paused } : { ...this.state, events: null }
    } catch {
      this.state = { ...this.state, events: null }
    }
    this.render()
  }

  private async togglePause(): Promise<void> {
    const target = this.actions.target()
    if (!target) return
    try {
      const capture = await setCapturePaused(target, !this.state.paused)
      this.state = { ...this.state, paused: capture.paused }
    } catch {
      // the engine is restarting; the next poll shows the real state
    }
    this.render()
  }

  /** Menus are rebuilt only when what they show changed (Linux trays flicker on every rebuild). */
  private render(): void {
    const label = countLabel(this.state)
    const key = `${label}|${this.state.paused}`
    if (key === this.shown) return
    this.shown = key
    this.tray.setToolTip(`Loupe — ${label}`)
    if (process.platform === 'darwin') this.tray.setTitle(this.state.events === null ? '' : compactCount(this.state.events))
    this.tray.setContextMenu(Menu.buildFromTemplate(trayMenuTemplate(this.state, this.actions, () => void this.togglePause())))
  }

  destroy(): void {
    clearInterval(this.timer)
    this.tray.destroy()
  }
}

export function compactCount(n: number): string {
  if (n < 1000) return String(n)
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0)}k`
  return `${(n / 1_000_000).toFixed(n < 10_000_000 ? 1 : 0)}M`
}
