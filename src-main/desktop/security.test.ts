import { beforeEach, describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  ipcMain: { handle: vi.fn() },
  shell: { openExternal: vi.fn(async (_url: string) => {}) }
}))
vi.mock('electron', () => electron)

import {
  assertTrustedSender,
  handleIpc,
  hardenWebContents,
  installSecurity,
  navigationGuard,
  openExternalUrl,
  permissionCheckHandler,
  permissionRequestHandler,
  redirectGuard,
  windowOpenHandler
} from './security'

const PORT = 7420
const ENGINE = `http://127.0.0.1:${PORT}`
const origin = (): string => ENGINE

function navigation(url: string) {
  return { url, preventDefault: vi.fn() }
}

beforeEach(() => {
  electron.ipcMain.handle.mockReset()
  electron.shell.openExternal.mockClear()
})

describe('navigation guard (will-navigate)', () => {
  it('lets the window move within the engine origin', () => {
    const open = vi.fn(() => true)
    const event = navigation(`${ENGINE}/events?type=track`)
    navigationGuard(origin, open)(event)
    expect(event.preventDefault).not.toHaveBeenCalled()
    expect(open).not.toHaveBeenCalled()
  })

  it.each([
    `https://127.0.0.1:${PORT}.evil.example/`,
    `http://127.0.0.1:${PORT + 1}/`,
    'file:///etc/passwd',
    'javascript:alert(document.cookie)',
    'https://evil.example/',
    `http://localhost:${PORT}/`
  ])('denies %s', (url) => {
    const event = navigation(url)
    navigationGuard(origin, vi.fn(() => false))(event)
    expect(event.preventDefault).toHaveBeenCalledOnce()
  })

  it('hands a foreign http(s) link to the system browser, and nothing else', () => {
    navigationGuard(origin)(navigation('https://segment.com/docs/'))
    navigationGuard(origin)(navigation('file:///etc/passwd'))
    navigationGuard(origin)(navigation('javascript:alert(1)'))
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://segment.com/docs/']])
  })

  it('denies everything while the engine is down', () => {
    const event = navigation(`${ENGINE}/`)
    navigationGuard(() => null, vi.fn(() => false))(event)
    expect(event.preventDefault).toHaveBeenCalledOnce()
  })
})

describe('redirect guard (will-redirect, sub-frames)', () => {
  it('allows the login redirect within the origin and blocks redirects elsewhere, without opening them', () => {
    const same = navigation(`${ENGINE}/`)
    redirectGuard(origin)(same)
    expect(same.preventDefault).not.toHaveBeenCalled()
    const away = navigation('https://evil.example/')
    redirectGuard(origin)(away)
    expect(away.preventDefault).toHaveBeenCalledOnce()
    expect(electron.shell.openExternal).not.toHaveBeenCalled()
  })
})

describe('window.open handler', () => {
  it('always denies a new window', () => {
    for (const url of [`${ENGINE}/`, 'https://segment.com/', 'file:///etc/passwd', 'about:blank']) {
      expect(windowOpenHandler(() => true)({ url })).toEqual({ action: 'deny' })
    }
  })

  it('sends http and https to the system browser', () => {
    windowOpenHandler()({ url: 'https://segment.com/docs/' })
    windowOpenHandler()({ url: 'http://example.com/' })
    expect(electron.shell.openExternal.mock.calls).toEqual([['https://segment.com/docs/'], ['http://example.com/']])
  })

  it.each(['file:///C:/Windows/System32/calc.exe', 'smb://attacker.example/share', 'javascript:alert(1)', 'ms-settings:', 'https://u:p@example.com/'])(
    'does not open %s',
    (url) => {
      expect(windowOpenHandler()({ url })).toEqual({ action: 'deny' })
      expect(electron.shell.openExternal).not.toHaveBeenCalled()
    }
  )
})

describe('openExternalUrl', () => {
  it('reports whether it opened, and opens the normalized URL', () => {
    expect(openExternalUrl('https://EXAMPLE.com')).toBe(true)
    expect(electron.shell.openExternal).toHaveBeenCalledWith('https://example.com/')
    expect(openExternalUrl('file:///etc/passwd')).toBe(false)
    expect(openExternalUrl(undefined)).toBe(false)
  })
})

describe('permissions', () => {
  it.each(['media', 'geolocation', 'notifications', 'display-capture', 'clipboard-read', 'openExternal', 'fileSystem', 'midiSysex', 'unknown'])(
    'denies %s, even to the engine origin',
    (permission) => {
      const callback = vi.fn()
      permissionRequestHandler(origin)(null, permission, callback, { requestingUrl: `${ENGINE}/` })
      expect(callback).toHaveBeenCalledWith(false)
      expect(permissionCheckHandler(origin)(null, permission, ENGINE)).toBe(false)
    }
  )

  it('allows only clipboard writes (copy buttons), and only from the engine origin', () => {
    const callback = vi.fn()
    permissionRequestHandler(origin)(null, 'clipboard-sanitized-write', callback, { requestingUrl: `${ENGINE}/events/1` })
    permissionRequestHandler(origin)(null, 'clipboard-sanitized-write', callback, { requestingUrl: 'https://evil.example/' })
    permissionRequestHandler(origin)(null, 'clipboard-sanitized-write', callback, {})
    expect(callback.mock.calls).toEqual([[true], [false], [false]])
    expect(permissionCheckHandler(origin)(null, 'clipboard-sanitized-write', ENGINE)).toBe(true)
    expect(permissionCheckHandler(origin)(null, 'clipboard-sanitized-write', 'https://evil.example')).toBe(false)
    expect(permissionCheckHandler(() => null)(null, 'clipboard-sanitized-write', ENGINE)).toBe(false)
  })
})

describe('IPC wrapper', () => {
  const frame = (url: string) => ({ senderFrame: { url } }) as never

  it('accepts the engine origin', () => {
    expect(() => assertTrustedSender(frame(`${ENGINE}/live`), ENGINE)).not.toThrow()
  })

  it.each([`https://127.0.0.1:${PORT}.evil.example/`, `http://127.0.0.1:${PORT + 1}/`, 'file:///tmp/x.html', 'about:blank', 'devtools://devtools/'])(
    'rejects a sender on %s',
    (url) => {
      expect(() => assertTrustedSender(frame(url), ENGINE)).toThrow(/untrusted origin/)
    }
  )

  it('rejects destroyed frames and everything while the engine is down', () => {
    expect(() => assertTrustedSender({ senderFrame: null }, ENGINE)).toThrow(/destroyed/)
    expect(() => assertTrustedSender(frame(`${ENGINE}/`), null)).toThrow()
  })

  it('registers through ipcMain.handle and runs the handler only for trusted senders', async () => {
    const handler = vi.fn((url: unknown) => `opened ${String(url)}`)
    handleIpc('loupe:test', origin, handler)
    expect(electron.ipcMain.handle).toHaveBeenCalledWith('loupe:test', expect.any(Function))
    const registered = electron.ipcMain.handle.mock.calls[0]![1] as (event: unknown, ...args: unknown[]) => unknown
    expect(registered({ senderFrame: { url: `${ENGINE}/` } }, 'https://x.example/')).toBe('opened https://x.example/')
    expect(() => registered({ senderFrame: { url: 'https://evil.example/' } }, 'https://x.example/')).toThrow()
    expect(handler).toHaveBeenCalledOnce()
  })
})

describe('hardenWebContents and installSecurity', () => {
  it('guards navigation, redirects, sub-frames, webviews and new windows on every web contents', () => {
    const listeners = new Map<string, (...args: unknown[]) => void>()
    const contents = { on: vi.fn((name: string, fn: (...args: unknown[]) => void) => listeners.set(name, fn)), setWindowOpenHandler: vi.fn() }
    hardenWebContents(contents as never, origin)
    expect([...listeners.keys()].sort()).toEqual(['will-attach-webview', 'will-frame-navigate', 'will-navigate', 'will-redirect'])
    const webview = { preventDefault: vi.fn() }
    listeners.get('will-attach-webview')!(webview, {}, {})
    expect(webview.preventDefault).toHaveBeenCalled()
    const subframe = { url: 'https://evil.example/', isMainFrame: false, preventDefault: vi.fn() }
    listeners.get('will-frame-navigate')!(subframe)
    expect(subframe.preventDefault).toHaveBeenCalled()
    const handler = contents.setWindowOpenHandler.mock.calls[0]![0] as (d: { url: string }) => unknown
    expect(handler({ url: 'https://example.com/' })).toEqual({ action: 'deny' })
  })

  it('installs the guards for all web contents and the session permission handlers', () => {
    const app = { on: vi.fn() }
    const session = { setPermissionRequestHandler: vi.fn(), setPermissionCheckHandler: vi.fn(), setDevicePermissionHandler: vi.fn() }
    installSecurity(app as never, session as never, origin)
    expect(app.on).toHaveBeenCalledWith('web-contents-created', expect.any(Function))
    expect(session.setPermissionRequestHandler).toHaveBeenCalledWith(expect.any(Function))
    expect(session.setPermissionCheckHandler).toHaveBeenCalledWith(expect.any(Function))
    const device = session.setDevicePermissionHandler.mock.calls[0]![0] as () => boolean
    expect(device()).toBe(false)
  })
})
