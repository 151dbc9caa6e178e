// The preload (src-preload/index.ts) with a mocked electron: exactly one global, one function per
// capability, nothing that leaks ipcRenderer or a token.

import { describe, expect, it, vi } from 'vitest'

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(async () => true) }
}))
vi.mock('electron', () => electron)

import { DESKTOP_API_GLOBAL, DESKTOP_IPC, desktopApi, type LoupeDesktopApi } from '../../src-shared/desktop-api'
await import('../../src-preload/index')

const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] as unknown as [string, LoupeDesktopApi]

describe('preload', () => {
  it('exposes one global with named capabilities only', () => {
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce()
    expect(name).toBe(DESKTOP_API_GLOBAL)
    expect(Object.keys(api).sort()).toEqual(['isDesktop', 'openExternal'])
    expect(JSON.stringify(api)).not.toMatch(/token/i)
    expect(Object.values(api)).not.toContain(electron.ipcRenderer)
  })

  it('openExternal invokes its own channel with a string, and refuses anything else', async () => {
    expect(await api.openExternal('https://segment.com/')).toBe(true)
    expect(electron.ipcRenderer.invoke).toHaveBeenCalledWith(DESKTOP_IPC.openExternal, 'https://segment.com/')
    electron.ipcRenderer.invoke.mockClear()
    expect(await api.openExternal({ href: 'file:///etc/passwd' } as unknown as string)).toBe(false)
    expect(electron.ipcRenderer.invoke).not.toHaveBeenCalled()
  })

  it('is found by the renderer helper, which ignores look-alikes', () => {
    expect(desktopApi({ [DESKTOP_API_GLOBAL]: api })).toBe(api)
    expect(desktopApi({})).toBeUndefined()
    expect(desktopApi({ [DESKTOP_API_GLOBAL]: { isDesktop: 'yes' } })).toBeUndefined()
  })
})
