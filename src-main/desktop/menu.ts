// The application menu: the platform's usual roles (so copy/paste, zoom, full screen and the macOS app
// menu behave as users expect) plus a few Loupe items. Developer tools only in an unpackaged build.

import type { MenuItemConstructorOptions } from 'electron'

// No "Open in Browser": it would need the login URL, i.e. the token, on a browser's command line,
// where other local users can read it.
export interface MenuActions {
  showDataDir(): void
  openDocs(): void
}

export function appMenuTemplate(options: { isMac: boolean; isPackaged: boolean }, actions: MenuActions): MenuItemConstructorOptions[] {
  const { isMac, isPackaged } = options
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    ...(isPackaged ? [] : ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] satisfies MenuItemConstructorOptions[])),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' }
  ]
  return [
    ...(isMac ? ([{ role: 'appMenu' }] satisfies MenuItemConstructorOptions[]) : []),
    {
      label: 'File',
      submenu: [
        { label: 'Show Data Folder', click: () => actions.showDataDir() },
        { type: 'separator' },
        isMac ? { role: 'close' } : { role: 'quit' }
      ]
    },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [{ label: 'Segment Spec', click: () => actions.openDocs() }] }
  ]
}
