// The engine's side of the utility process: waits for main's `start`, runs the engine, reports its
// address, and stops it cleanly on `stop` or SIGTERM. Kept apart from the entry (engine-host.ts) so
// tests drive it under plain Node with a fake parent port.
//
// The address message carries the admin token: it goes only to main, over the process's private
// port, never to a renderer. Main uses it for the tray's own API calls.

import { ConfigError, resolveConfig, type EngineConfig } from '../engine/config'
import { PortInUseError, createEngine, type Engine } from '../engine/index'
import { DataDirLockedError } from '../engine/lock'
import { KeyFileSecretStore } from '../engine/secrets/key-file-store'
import { PortSecretStore } from '../engine/secrets/port-store'
import type { SecretRequest } from '../engine/secrets/secret-protocol'
import { parseToHost, type FromHostMessage, type StartEngineMessage } from './engine-protocol'

export interface ParentPortLike {
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown
  postMessage(message: FromHostMessage): void
}

export interface HostDeps {
  createEngine: typeof createEngine
  exit: (code: number) => void
  log: (message: string) => void
  env: NodeJS.ProcessEnv
}

const defaultDeps: HostDeps = {
  createEngine,
  exit: (code) => process.exit(code),
  log: (message) => process.stderr.write(`[engine] ${message}\n`),
  env: process.env
}

export function runEngineHost(port: ParentPortLike, deps: HostDeps = defaultDeps): { stop(): Promise<void> } {
  let engine: Engine | null = null
  let starting: Promise<void> | null = null
  let stopping: Promise<void> | null = null
  // A message posted right before process.exit may never leave the process; main needs `failed` to
  // tell "do not restart" from a crash, so the exit waits a moment.
  const exitSoon = (code: number): void => void setTimeout(() => deps.exit(code), 100)
  // Destination secrets are sealed by main's safeStorage, over this same port (desktop/secrets.ts).
  let secrets: PortSecretStore | null = null

  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await starting?.catch(() => {})
      try {
        await engine?.stop()
      } catch (error) {
        deps.log(`stop failed: ${String(error)}`)
      }
      port.postMessage({ type: 'stopped' })
      exitSoon(0)
    })()
    return stopping
  }

  port.on('message', ({ data }) => {
    if (secrets?.receive(data)) return
    const message = parseToHost(data)
    if (message?.type === 'stop') void stop()
    else if (message?.type === 'start' && !starting && !stopping) {
      starting = start(message).then(
        (started) => {
          engine = started.engine
          const a = started.engine.address()
          port.postMessage({ type: 'ready', baseUrl: a.baseUrl, loginUrl: a.loginUrl, token: started.engine.token, portFallback: started.fallback })
        },
        (error: unknown) => {
          port.postMessage({ type: 'failed', reason: failureKind(error), message: error instanceof Error ? error.message : String(error) })
          exitSoon(1)
        }
      )
    }
  })

  async function start(message: StartEngineMessage): Promise<{ engine: Engine; fallback: boolean }> {
    const config: EngineConfig = {
      ...resolveConfig({ dataDir: message.dataDir, port: String(message.port) }, deps.env),
      ...(message.rendererDir ? { rendererDir: message.rendererDir } : {})
    }
    const secretPort = port as unknown as { postMessage(request: SecretRequest): void }
    secrets = new PortSecretStore({ post: (request) => secretPort.postMessage(request), fallback: new KeyFileSecretStore(config.dataDir), log: deps.log })
    const options = { log: deps.log, nativeBinding: message.nativeBinding, secrets }
    const first = await deps.createEngine(config, options)
    try {
      await first.start()
      return { engine: first, fallback: false }
    } catch (error) {
      await first.stop()
      if (!(error instanceof PortInUseError) || config.port === 0) throw error
    }
    // The usual port is taken by another program (or a `loupe serve` on another data dir): any free
    // port beats no app. The window follows whatever address is reported; clients pointed at the usual
    // port are told by the notice main shows.
    deps.log(`port ${config.port} is taken; using a free port instead`)
    const second = await deps.createEngine({ ...config, port: 0 }, options)
    try {
      await second.start()
    } catch (error) {
      await second.stop()
      throw error
    }
    return { engine: second, fallback: true }
  }

  return { stop }
}

function failureKind(error: unknown): 'locked' | 'config' | 'other' {
  if (error instanceof DataDirLockedError) return 'locked'
  if (error instanceof ConfigError) return 'config'
  return 'other'
}
