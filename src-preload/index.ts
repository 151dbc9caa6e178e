// The desktop preload: the only bridge between the sandboxed renderer and the main process.
//
// Threat model: the renderer displays attacker-controlled event payloads, so assume its JavaScript may be
// hostile one day (an XSS the CSP did not stop). Whatever is exposed here, that script can call. So:
// one named function per capability, arguments narrowed to what main expects, no raw ipcRenderer, no
// Node, no secrets. Main validates the sender and the arguments again; this is not the only check.
//
// No token is handed over: the window signs in through the engine's login URL (HttpOnly cookie), so
// page JavaScript never needs — and can never read — the admin token.
//
// Built as CommonJS (out/preload/index.cjs) so the window keeps `sandbox: true`.

import { contextBridge, ipcRenderer } from 'electron'
import { DESKTOP_API_GLOBAL, DESKTOP_IPC, type LoupeDesktopApi } from '../src-shared/desktop-api'

const api = {
  isDesktop: true,
  openExternal: async (url: string): Promise<boolean> => {
    if (typeof url !== 'string') return false
    return (await ipcRenderer.invoke(DESKTOP_IPC.openExternal, url)) === true
  }
} as const satisfies LoupeDesktopApi

contextBridge.exposeInMainWorld(DESKTOP_API_GLOBAL, api)
