import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ELECTRON_NATIVE_BINDING, MissingNativeBindingError, desktopPaths } from './app-paths'

const APP = '/opt/loupe'

describe('desktopPaths', () => {
  it('finds the parts under the app path, and the Electron-ABI binding in .electron-native', () => {
    const paths = desktopPaths(APP, { isPackaged: false, platform: 'linux', env: {}, exists: () => true })
    expect(paths.preload).toBe(join(APP, 'out', 'preload', 'index.cjs'))
    expect(paths.engineHost).toBe(join(APP, 'out', 'main', 'engine-host.js'))
    expect(paths.rendererDir).toBe(join(APP, 'out', 'renderer'))
    expect(paths.trayIcon).toBe(join(APP, 'resources', 'tray-icon.png'))
    expect(paths.nativeBinding).toBe(join(APP, ELECTRON_NATIVE_BINDING))
  })

  it('uses the binding npm start built (LOUPE_NATIVE_BINDING), and a template tray icon on macOS', () => {
    const paths = desktopPaths(APP, { isPackaged: false, platform: 'darwin', env: { LOUPE_NATIVE_BINDING: '/x/b.node' }, exists: () => true })
    expect(paths.nativeBinding).toBe('/x/b.node')
    expect(paths.trayIcon).toBe(join(APP, 'resources', 'trayTemplate.png'))
  })

  it('says how to get the binding when it is missing', () => {
    expect(() => desktopPaths(APP, { isPackaged: false, platform: 'linux', env: {}, exists: () => false })).toThrow(MissingNativeBindingError)
    expect(() => desktopPaths(APP, { isPackaged: false, platform: 'linux', env: {}, exists: () => false })).toThrow(/npm start/)
  })

  it('needs no binding path when packaged (electron-builder rebuilt node_modules for Electron)', () => {
    expect(desktopPaths(APP, { isPackaged: true, platform: 'win32', env: {}, exists: () => false }).nativeBinding).toBeUndefined()
  })
})
