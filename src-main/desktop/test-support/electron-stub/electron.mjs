// A recording stand-in for the 'electron' module, enough for the desktop main to boot in plain Node.
// Every call of interest is written to stdout as one `STUB {json}` line for the test to read.
// utilityProcess.fork really starts the engine host, as a Node child with a parentPort shim.
import { fork } from 'node:child_process'
import { EventEmitter } from 'node:events'

const record = (kind, data = {}) => process.stdout.write(`STUB ${JSON.stringify({ kind, ...data })}\n`)

class Emitter extends EventEmitter {}

const appEmitter = new Emitter()
export const app = Object.assign(appEmitter, {
  isPackaged: false,
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  isReady: () => true,
  enableSandbox: () => record('app.enableSandbox'),
  getAppPath: () => process.env.STUB_APP_PATH,
  getPath: (name) => (name === 'userData' ? process.env.STUB_USER_DATA : `/tmp/stub-${name}`),
  setPath: (name, value) => record('app.setPath', { name, value }),
  quit() {
    let prevented = false
    appEmitter.emit('before-quit', { preventDefault: () => (prevented = true) })
    if (!prevented) {
      record('app.quit')
      process.exit(0)
    }
  },
  exit(code) {
    record('app.exit', { code })
    process.exit(code)
  }
})
process.on('SIGTERM', () => app.quit())

class WebContents extends Emitter {
  setWindowOpenHandler() {}
}

export class BrowserWindow extends Emitter {
  constructor(options) {
    super()
    this.webContents = new WebContents()
    record('BrowserWindow', { options })
  }
  loadURL(url) {
    record('loadURL', { url })
    return Promise.resolve()
  }
  isDestroyed = () => false
  isVisible = () => true
  isMinimized = () => false
  isMaximized = () => false
  maximize() {}
  show() {}
  focus() {}
  restore() {}
  getNormalBounds = () => ({ x: 0, y: 0, width: 1280, height: 820 })
}

export const screen = { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] }

export const session = {
  defaultSession: {
    setPermissionRequestHandler: () => record('session.setPermissionRequestHandler'),
    setPermissionCheckHandler: () => record('session.setPermissionCheckHandler'),
    setDevicePermissionHandler: () => record('session.setDevicePermissionHandler')
  }
}

export const ipcMain = { handle: (channel) => record('ipcMain.handle', { channel }) }

const labels = (template) => template.map((item) => item.label ?? item.role ?? item.type)
export const Menu = {
  buildFromTemplate: (template) => template,
  setApplicationMenu: (template) => record('Menu.setApplicationMenu', { items: labels(template) })
}

export class Tray {
  constructor(image) {
    record('Tray', { image })
  }
  setToolTip() {}
  setTitle() {}
  on() {}
  setContextMenu(template) {
    record('Tray.setContextMenu', { items: labels(template) })
  }
  destroy() {}
}

export const nativeImage = { createFromPath: (path) => ({ path }) }
export class Notification {
  static isSupported = () => false
}
export const dialog = { showErrorBox: (title, message) => record('dialog.showErrorBox', { title, message }) }
// No keychain in the stub: the engine falls back to its key file, as on a Linux desktop without one.
export const safeStorage = { isEncryptionAvailable: () => false, encryptString: () => Buffer.alloc(0), decryptString: () => '' }
export const shell = { openExternal: async () => {}, openPath: async () => '' }

export const utilityProcess = {
  fork(modulePath, args = [], options = {}) {
    record('utilityProcess.fork', { modulePath, serviceName: options.serviceName })
    const child = fork(modulePath, args, {
      execArgv: ['--import', new URL('./parent-port.mjs', import.meta.url).href],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc']
    })
    return {
      on(event, listener) {
        if (event === 'message') child.on('message', listener)
        if (event === 'exit') child.on('exit', (code) => listener(code ?? 1))
        return this
      },
      postMessage: (message) => child.send(message),
      kill: () => child.kill('SIGTERM')
    }
  }
}

export default { app, BrowserWindow, screen, session, ipcMain, Menu, Tray, nativeImage, Notification, dialog, shell, utilityProcess }
