// Hardening of every web page the desktop app shows, and the one way to register IPC handlers.
//
// Threat model: the window shows the engine's UI from its loopback origin, and that UI displays
// attacker-controlled event payloads. If a payload ever slips past the CSP as script (or a link in it is
// clicked), that code must not be able to (1) navigate the privileged window — the one with our preload
// — to a page of its choosing, (2) open new windows, (3) hand the OS a dangerous URL through
// openExternal, (4) gain device permissions, (5) attach a <webview>, or (6) call IPC from any page that
// is not the engine's own origin. Origins are compared on parsed URLs, exactly, never by prefix.
// The engine's origin can change (restart on another port), so it is read on every check.

import { ipcMain, shell, type App, type IpcMainInvokeEvent, type Session, type WebContents } from 'electron'
import { isEngineUrl, parseExternalUrl } from './external-url'

/** The engine's current origin (`http://127.0.0.1:7420`), or null while it is down. */
export type EngineOrigin = () => string | null

interface Preventable {
  preventDefault(): void
  readonly url: string
}

/** Hands a URL to the system browser if it is http(s); returns whether it did. */
export function openExternalUrl(value: unknown, open: (url: string) => Promise<void> = (url) => shell.openExternal(url)): boolean {
  const url = parseExternalUrl(value)
  if (!url) return false
  open(url.href).catch(() => {}) // no browser configured: nothing useful to do from here
  return true
}

/**
 * will-navigate: the window stays on the engine's origin. A link elsewhere is the user wanting to read
 * something, so http(s) goes to the system browser; everything else is dropped.
 */
export function navigationGuard(engineOrigin: EngineOrigin, open: (url: unknown) => boolean = openExternalUrl) {
  return (event: Preventable): void => {
    if (isEngineUrl(event.url, engineOrigin())) return
    event.preventDefault()
    open(event.url)
  }
}

/** will-redirect and sub-frame navigations: same origin or nothing (a redirect is not a user's click). */
export function redirectGuard(engineOrigin: EngineOrigin) {
  return (event: Preventable): void => {
    if (!isEngineUrl(event.url, engineOrigin())) event.preventDefault()
  }
}

/** window.open / target=_blank: never a new Electron window; http(s) goes to the system browser. */
export function windowOpenHandler(open: (url: unknown) => boolean = openExternalUrl) {
  return (details: { url: string }): { action: 'deny' } => {
    open(details.url)
    return { action: 'deny' }
  }
}

/** Permissions the UI may use, and only from the engine's origin. Copy-to-clipboard and nothing else. */
const GRANTED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write'])

export function isPermissionGranted(permission: string, requestingUrl: string | undefined, engineOrigin: string | null): boolean {
  return GRANTED_PERMISSIONS.has(permission) && requestingUrl !== undefined && isEngineUrl(requestingUrl, engineOrigin)
}

export function permissionRequestHandler(engineOrigin: EngineOrigin) {
  return (_contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }): void => {
    callback(isPermissionGranted(permission, details.requestingUrl, engineOrigin()))
  }
}

export function permissionCheckHandler(engineOrigin: EngineOrigin) {
  return (_contents: unknown, permission: string, requestingOrigin: string): boolean =>
    isPermissionGranted(permission, requestingOrigin, engineOrigin())
}

/** Applies the guards to one web contents. */
export function hardenWebContents(contents: WebContents, engineOrigin: EngineOrigin): void {
  contents.on('will-navigate', navigationGuard(engineOrigin))
  contents.on('will-redirect', redirectGuard(engineOrigin))
  const frameGuard = redirectGuard(engineOrigin)
  contents.on('will-frame-navigate', (event) => {
    if (!event.isMainFrame) frameGuard(event)
  })
  contents.on('will-attach-webview', (event) => event.preventDefault())
  contents.setWindowOpenHandler(windowOpenHandler())
}

/** Installs the guards app-wide: every web contents ever created, and the session's permissions. */
export function installSecurity(app: App, session: Session, engineOrigin: EngineOrigin): void {
  app.on('web-contents-created', (_event, contents) => hardenWebContents(contents, engineOrigin))
  session.setPermissionRequestHandler(permissionRequestHandler(engineOrigin))
  session.setPermissionCheckHandler(permissionCheckHandler(engineOrigin))
  session.setDevicePermissionHandler(() => false)
}

export class UntrustedSenderError extends Error {}

/** Throws unless the IPC message comes from a live frame showing the engine's own origin. */
export function assertTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, engineOrigin: string | null): void {
  const frame = event.senderFrame
  if (!frame) throw new UntrustedSenderError('IPC from a destroyed frame')
  if (!isEngineUrl(frame.url, engineOrigin)) throw new UntrustedSenderError(`IPC from an untrusted origin: ${frame.url}`)
}

/**
 * The only way the desktop registers an IPC handler. Arguments arrive as `unknown`: the handler must
 * check them, because the sender — even a trusted one — runs page JavaScript.
 */
export function handleIpc<R>(channel: string, engineOrigin: EngineOrigin, handler: (...args: unknown[]) => R): void {
  ipcMain.handle(channel, (event, ...args: unknown[]) => {
    assertTrustedSender(event, engineOrigin())
    return handler(...args)
  })
}
