// Messages between the main process and the engine's utility process (process.parentPort).
// Main trusts the host (our code, our process), but parses its messages anyway: a malformed message
// must not crash main, the process that owns every window.

export interface StartEngineMessage {
  type: 'start'
  dataDir: string
  /** Preferred port; if taken, the host falls back to any free one (port 0). */
  port: number
  /** Electron-ABI better_sqlite3.node; absent when the default binding already is one (packaged app). */
  nativeBinding?: string
  /** Built renderer (out/renderer), served by the engine at `/`. */
  rendererDir?: string
}

export interface StopEngineMessage {
  type: 'stop'
}

export type ToHostMessage = StartEngineMessage | StopEngineMessage

export interface EngineReadyMessage {
  type: 'ready'
  baseUrl: string
  /** The UI login URL: sets the session cookie and redirects to `/`. */
  loginUrl: string
  /** Main's own credential for the admin API (tray: stats, pause). Never sent to a renderer. */
  token: string
  /** True if the preferred port was taken and another one was picked. */
  portFallback: boolean
}

/** Why the engine could not start. `locked` and `config` will fail again the same way: no restart. */
export type EngineFailure = 'locked' | 'config' | 'other'

export interface EngineFailedMessage {
  type: 'failed'
  reason: EngineFailure
  message: string
}

export interface EngineStoppedMessage {
  type: 'stopped'
}

export type FromHostMessage = EngineReadyMessage | EngineFailedMessage | EngineStoppedMessage

export function parseFromHost(value: unknown): FromHostMessage | null {
  if (typeof value !== 'object' || value === null) return null
  const m = value as Record<string, unknown>
  switch (m.type) {
    case 'ready':
      return typeof m.baseUrl === 'string' && typeof m.loginUrl === 'string' && typeof m.token === 'string'
        ? { type: 'ready', baseUrl: m.baseUrl, loginUrl: m.loginUrl, token: m.token, portFallback: m.portFallback === true }
        : null
    case 'failed':
      return {
        type: 'failed',
        reason: m.reason === 'locked' || m.reason === 'config' ? m.reason : 'other',
        message: typeof m.message === 'string' ? m.message : 'the engine failed to start'
      }
    case 'stopped':
      return { type: 'stopped' }
    default:
      return null
  }
}

export function parseToHost(value: unknown): ToHostMessage | null {
  if (typeof value !== 'object' || value === null) return null
  const m = value as Record<string, unknown>
  if (m.type === 'stop') return { type: 'stop' }
  if (m.type !== 'start' || typeof m.dataDir !== 'string' || typeof m.port !== 'number') return null
  return {
    type: 'start',
    dataDir: m.dataDir,
    port: m.port,
    ...(typeof m.nativeBinding === 'string' ? { nativeBinding: m.nativeBinding } : {}),
    ...(typeof m.rendererDir === 'string' ? { rendererDir: m.rendererDir } : {})
  }
}
