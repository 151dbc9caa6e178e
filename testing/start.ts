// Starts a headless Loupe for a test suite: `loupe serve --port 0` as a child process (the way CI runs it),
// on a temp data dir that stop() deletes. A free port per instance, so parallel workers never collide.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

export interface StartLoupeOptions {
  /** Use this data dir (kept on stop). Default: a fresh temp dir, deleted on stop. */
  dataDir?: string
  /** Default 0: any free port. */
  port?: number
  /** More `loupe serve` flags, e.g. `['--strict-keys']`. */
  args?: string[]
  /** How long to wait for the engine to listen (default 30 s). */
  startTimeoutMs?: number
  /** The `loupe` launcher script (default: $LOUPE_BIN, else this package's bin/loupe.js). */
  bin?: string
}

export interface StartedLoupe {
  /** Base URL of both surfaces, e.g. `http://127.0.0.1:41234` (analytics-node's `host`, analytics.js's CDN). */
  url: string
  /** The admin token, for createLoupe({ url, token }). */
  token: string
  /** The tracking API, `${url}/v1`. */
  trackingUrl: string
  dataDir: string
  /** Stops the engine (gracefully, then by force) and deletes the temp data dir. */
  stop(): Promise<void>
}

const READY_LINE = 'Press Ctrl+C'
const STOP_GRACE_MS = 10_000
const running = new Set<ChildProcess>()
let exitHookInstalled = false

export async function startLoupe(options: StartLoupeOptions = {}): Promise<StartedLoupe> {
  const ownDir = options.dataDir === undefined
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'loupe-testing-'))
  const args = [options.bin ?? (process.env.LOUPE_BIN || findBin()), 'serve', '--port', String(options.port ?? 0), '--data-dir', dataDir, ...(options.args ?? [])]
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] })
  track(child)
  let stdout = ''
  let stderr = ''
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => {
    // only the tail: a long-running engine's log must not grow without bound
    stderr = (stderr + chunk.toString()).slice(-8192)
  })
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()))
  const removeDir = (): void => {
    if (ownDir) rmSync(dataDir, { recursive: true, force: true })
  }

  try {
    await waitForReady(child, () => stdout, () => stderr, options.startTimeoutMs ?? 30_000)
  } catch (error) {
    child.kill('SIGKILL')
    await exited
    removeDir()
    throw error
  }
  const lock = JSON.parse(readFileSync(join(dataDir, 'loupe.lock'), 'utf8')) as { url?: string }
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
  if (!lock.url) throw new Error(`loupe serve started but wrote no URL to ${join(dataDir, 'loupe.lock')}`)
  stdout = '' // the start-up block is all it prints until shutdown

  let stopping: Promise<void> | null = null
  return {
    url: lock.url,
    token,
    trackingUrl: `${lock.url}/v1`,
    dataDir,
    stop() {
      stopping ??= (async () => {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM')
          const force = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS)
          await exited
          clearTimeout(force)
        }
        removeDir()
      })()
      return stopping
    }
  }
}

async function waitForReady(child: ChildProcess, stdout: () => string, stderr: () => string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!stdout().includes(READY_LINE)) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`loupe serve exited (${child.exitCode ?? child.signalCode}) before listening:\n${stderr().trim()}`)
    }
    if (Date.now() > deadline) throw new Error(`loupe serve did not start within ${timeoutMs} ms:\n${stdout()}\n${stderr().trim()}`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** The launcher sits at the package root's bin/, whether this runs from testing/ (source) or out/testing/ (built). */
function findBin(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 4; i++) {
    const candidate = join(dir, 'bin', 'loupe.js')
    if (existsSync(candidate)) return candidate
    dir = dirname(dir)
  }
  throw new Error('Could not find bin/loupe.js next to loupe/testing; pass { bin } to startLoupe.')
}

/** A test process that ends without stop() (a crash, a forgotten teardown) must not leave engines behind. */
function track(child: ChildProcess): void {
  if (!exitHookInstalled) process.once('exit', killAll)
  exitHookInstalled = true
  running.add(child)
  child.once('exit', () => running.delete(child))
}

function killAll(): void {
  for (const child of running) child.kill('SIGKILL')
}
