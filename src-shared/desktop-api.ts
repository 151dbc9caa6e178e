// What the desktop preload exposes to the renderer as `window.loupeDesktop`. In a plain browser
// (`loupe serve`) it is absent, so the renderer treats every member as optional through `desktopApi()`.
//
// The renderer needs no token from here: the window opens the engine's login URL, which sets
// the HttpOnly session cookie, exactly as in a browser. Keep this surface small — every function is a
// door from page JavaScript (which shows attacker-controlled event payloads) into the main process.

export interface LoupeDesktopApi {
  readonly isDesktop: true
  /** Opens an http(s) URL in the system browser; resolves false if main refused it (other schemes). */
  openExternal(url: string): Promise<boolean>
}

/** The global the preload defines; the renderer reads it through `desktopApi()`. */
export const DESKTOP_API_GLOBAL = 'loupeDesktop'

/** IPC channels, one per capability; main registers each through its sender-checking wrapper. */
export const DESKTOP_IPC = {
  openExternal: 'loupe:open-external'
} as const

/** The bridge when running in the desktop app, undefined in a browser. */
export function desktopApi(scope: object = globalThis): LoupeDesktopApi | undefined {
  const api = (scope as Record<string, unknown>)[DESKTOP_API_GLOBAL]
  return typeof api === 'object' && api !== null && (api as { isDesktop?: unknown }).isDesktop === true ? (api as LoupeDesktopApi) : undefined
}
