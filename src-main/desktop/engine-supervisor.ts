// Main's side of the engine: forks the utility process, waits for its address, and restarts it when
// it dies — with backoff, and giving up (with a message) if it keeps dying or cannot start for a reason
// a restart will not fix (data dir in use, bad configuration). Electron-free: the process is injected.

import { parseFromHost, type EngineReadyMessage, type StartEngineMessage, type ToHostMessage } from './engine-protocol'

export interface HostProcess {
  onMessage(listener: (message: unknown) => void): void
  onExit(listener: (code: number) => void): void
  postMessage(message: ToHostMessage): void
  kill(): void
}

export interface SupervisorEvents {
  /** The engine listens; `restarted` is true after a crash. */
  ready(engine: EngineReadyMessage, restarted: boolean): void
  /** The engine died unexpectedly and will be restarted in `restartInMs`. */
  down(info: { code: number; reason: string | null; restartInMs: number }): void
  /** The engine cannot run; the app should explain and quit. */
  fatal(message: string): void
}

export interface SupervisorOptions {
  fork(): HostProcess
  startMessage(): StartEngineMessage
  events: SupervisorEvents
  /** Restarts allowed within `crashWindowMs` before giving up. */
  maxRestarts?: number
  crashWindowMs?: number
  now?: () => number
  schedule?: (fn: () => void, ms: number) => void
}

const BACKOFF_MS = [500, 1000, 2000, 5000, 10_000]

export class EngineSupervisor {
  private child: HostProcess | null = null
  private ready: EngineReadyMessage | null = null
  private stopping: Promise<void> | null = null
  private crashes: number[] = []
  private everReady = false
  private fatalSent = false
  private readonly now: () => number
  private readonly schedule: (fn: () => void, ms: number) => void

  constructor(private readonly options: SupervisorOptions) {
    this.now = options.now ?? Date.now
    this.schedule = options.schedule ?? ((fn, ms) => void setTimeout(fn, ms))
  }

  /** The running engine's address and token, or null while it is (re)starting. */
  current(): EngineReadyMessage | null {
    return this.ready
  }

  /** The engine's origin for the security checks; null while it is down, so nothing is trusted. */
  origin(): string | null {
    if (!this.ready) return null
    try {
      return new URL(this.ready.baseUrl).origin
    } catch {
      return null
    }
  }

  start(): void {
    if (this.child || this.stopping) return
    const child = this.options.fork()
    this.child = child
    let failure: { fatal: boolean; message: string } | null = null
    child.onMessage((raw) => {
      const message = parseFromHost(raw)
      if (message?.type === 'ready') {
        this.ready = message
        const restarted = this.everReady
        this.everReady = true
        this.options.events.ready(message, restarted)
      } else if (message?.type === 'failed') {
        failure = { fatal: message.reason !== 'other', message: message.message }
      }
    })
    child.onExit((code) => {
      if (this.child !== child) return
      this.child = null
      this.ready = null
      if (this.stopping) return
      if (failure?.fatal) return this.giveUp(failure.message)
      this.crashed(code, failure?.message ?? null)
    })
    child.postMessage(this.options.startMessage())
  }

  private crashed(code: number, reason: string | null): void {
    const now = this.now()
    const window = this.options.crashWindowMs ?? 120_000
    this.crashes = this.crashes.filter((t) => now - t < window)
    this.crashes.push(now)
    if (this.crashes.length > (this.options.maxRestarts ?? 5)) {
      return this.giveUp(`The engine stopped ${this.crashes.length} times in ${Math.round(window / 1000)} s${reason ? `: ${reason}` : ` (exit code ${code})`}.`)
    }
    const restartInMs = BACKOFF_MS[Math.min(this.crashes.length - 1, BACKOFF_MS.length - 1)] ?? 10_000
    this.options.events.down({ code, reason, restartInMs })
    this.schedule(() => this.start(), restartInMs)
  }

  private giveUp(message: string): void {
    if (this.fatalSent) return
    this.fatalSent = true
    this.options.events.fatal(message)
  }

  /** Asks the engine to stop gracefully (finishing its commits); kills it if it does not within `timeoutMs`. */
  stop(timeoutMs = 10_000): Promise<void> {
    this.stopping ??= new Promise<void>((resolve) => {
      const child = this.child
      if (!child) return resolve()
      child.onExit(() => resolve())
      child.postMessage({ type: 'stop' })
      this.schedule(() => {
        if (this.child !== child) return
        child.kill()
        this.schedule(resolve, 2000)
      }, timeoutMs)
    })
    return this.stopping
  }
}
