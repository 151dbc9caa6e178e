// Where the desktop app finds its parts. Everything hangs off Electron's app path (the checkout in
// development, app.asar when packaged), never off this bundle's own location, so it survives the
// bundler moving code between chunks.

import { existsSync } from 'node:fs'
import { join } from 'node:path'

/** The folder `npm start` builds the Electron-ABI better-sqlite3 into (git-ignored, per checkout). */
export const ELECTRON_NATIVE_DIR = '.electron-native'
export const ELECTRON_NATIVE_BINDING = join(ELECTRON_NATIVE_DIR, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')

export interface DesktopPaths {
  preload: string
  engineHost: string
  rendererDir: string
  windowIcon: string
  trayIcon: string
  /** Electron-ABI better-sqlite3; undefined when the default binding already is one (packaged app). */
  nativeBinding: string | undefined
}

export class MissingNativeBindingError extends Error {}

export function desktopPaths(
  appPath: string,
  options: { isPackaged: boolean; platform: NodeJS.Platform; env: NodeJS.ProcessEnv; exists?: (path: string) => boolean }
): DesktopPaths {
  const exists = options.exists ?? existsSync
  return {
    preload: join(appPath, 'out', 'preload', 'index.cjs'),
    engineHost: join(appPath, 'out', 'main', 'engine-host.js'),
    rendererDir: join(appPath, 'out', 'renderer'),
    windowIcon: join(appPath, 'resources', 'icon.png'),
    // macOS shows "…Template" images in the menu-bar colour; other platforms get the coloured icon.
    trayIcon: join(appPath, 'resources', options.platform === 'darwin' ? 'trayTemplate.png' : 'tray-icon.png'),
    nativeBinding: nativeBinding(appPath, options.isPackaged, options.env, exists)
  }
}

function nativeBinding(appPath: string, isPackaged: boolean, env: NodeJS.ProcessEnv, exists: (path: string) => boolean): string | undefined {
  // Packaged: electron-builder rebuilt node_modules/better-sqlite3 for Electron and unpacked it from the asar.
  if (isPackaged) return undefined
  const file = env.LOUPE_NATIVE_BINDING || join(appPath, ELECTRON_NATIVE_BINDING)
  if (!exists(file)) {
    throw new MissingNativeBindingError(
      `better-sqlite3 has no build for Electron's ABI at ${file}. Start the desktop app with \`npm start\`, which builds it (needs internet once).`
    )
  }
  return file
}
