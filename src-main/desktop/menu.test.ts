import type { MenuItemConstructorOptions } from 'electron'
import { describe, expect, it, vi } from 'vitest'
import { appMenuTemplate } from './menu'

const roles = (items: MenuItemConstructorOptions[]): string[] =>
  items.flatMap((item) => [item.role ?? item.label ?? item.type ?? '?', ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])])

const actions = { showDataDir: vi.fn(), openDocs: vi.fn() }

describe('application menu', () => {
  it('has the usual roles, and the macOS app menu only on macOS', () => {
    const mac = roles(appMenuTemplate({ isMac: true, isPackaged: true }, actions))
    const other = roles(appMenuTemplate({ isMac: false, isPackaged: true }, actions))
    for (const role of ['editMenu', 'windowMenu', 'reload', 'togglefullscreen', 'zoomIn', 'resetZoom']) {
      expect(mac).toContain(role)
      expect(other).toContain(role)
    }
    expect(mac).toContain('appMenu')
    expect(other).not.toContain('appMenu')
    expect(other).toContain('quit')
  })

  it('offers developer tools only in an unpackaged build', () => {
    expect(roles(appMenuTemplate({ isMac: false, isPackaged: true }, actions))).not.toContain('toggleDevTools')
    expect(roles(appMenuTemplate({ isMac: false, isPackaged: false }, actions))).toContain('toggleDevTools')
  })
})
