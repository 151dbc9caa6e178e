// The servers under test, each in its own process: the Loupe engine as users run it (`loupe serve` on
// port 0 with a fresh temp data dir) and the no-op fastify ceiling. The engine's answer to "how many events
// are stored" comes from its admin API, as any client would ask it.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Stats } from '../src-shared/api'
import { startChild, stopChild, type Child } from './children'

export interface Target {
  pid: number
  baseUrl: string
  /** Stops the process (and deletes its data dir); resolves with what it printed. */
  stop(): Promise<{ exit: number | string; stdout: string; stderr: string }>
}

export interface EngineTarget extends Target {
  dataDir: string
  /** The admin token, for the admin API. */
  token: string
  /** Stored events and events not yet in the search index, from `GET /api/stats`. */
  stats(): Promise<{ stored: number; indexPending: number }>
}

const dataDirs = new Set<string>()

/** Deletes the data dirs of engines not stopped through stop() (an interrupted run). */
export function removeLeftoverDataDirs(): void {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true })
  dataDirs.clear()
}

export interface EngineOptions {
  /** Extra environment variables for the engine process (e.g. LOUPE_ACTIONS_REDIRECT). */
  env?: Record<string, string>
  /** Extra node flags before the script (e.g. `--cpu-prof`, `--cpu-prof-dir=<dir>`). */
  nodeArgs?: string[]
}

/** A temp dir removed by removeLeftoverDataDirs() if the run is interrupted; call the returned remove() when done. */
export function tempDir(prefix: string): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix))
  dataDirs.add(path)
  return {
    path,
    remove() {
      rmSync(path, { recursive: true, force: true })
      dataDirs.delete(path)
    }
  }
}

export async function startEngine(root: string, options: EngineOptions = {}): Promise<EngineTarget> {
  const dataDir = mkdtempSync(join(tmpdir(), 'loupe-bench-'))
  dataDirs.add(dataDir)
  // Retention off: the count check compares every stored event with every acknowledged one.
  const args = [...(options.nodeArgs ?? []), 'bin/loupe.js', 'serve', '--port', '0', '--data-dir', dataDir, '--max-events', '0']
  const child = withEnv(options.env ?? {}, () => startChild(process.execPath, args, root))
  let baseUrl: string
  try {
    baseUrl = await waitForLockUrl(dataDir, child)
  } catch (error) {
    await stopChild(child)
    rmSync(dataDir, { recursive: true, force: true })
    dataDirs.delete(dataDir)
    throw error
  }
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
  return {
    pid: child.pid,
    baseUrl,
    dataDir,
    token,
    async stats() {
      const response = await fetch(`${baseUrl}/api/stats`, { headers: { authorization: `Bearer ${token}` } })
      if (!response.ok) throw new Error(`GET /api/stats answered ${response.status}: ${await response.text()}`)
      const stats = (await response.json()) as Stats
      return { stored: stats.events.total, indexPending: stats.searchIndex.pending }
    },
    async stop() {
      const exit = await stopChild(child)
      rmSync(dataDir, { recursive: true, force: true })
      dataDirs.delete(dataDir)
      return { exit, ...child.output() }
    }
  }
}

export async function startCeiling(root: string, path: string): Promise<Target> {
  const child = startChild(process.execPath, ['--import', 'tsx', 'bench/noop-server.ts', path], root)
  let port: number
  try {
    port = (JSON.parse(await withTimeout(child.firstLine(), 20_000, 'the no-op server did not start')) as { port: number }).port
  } catch (error) {
    await stopChild(child)
    throw error
  }
  return {
    pid: child.pid,
    baseUrl: `http://127.0.0.1:${port}`,
    async stop() {
      return { exit: await stopChild(child), ...child.output() }
    }
  }
}

/** spawn() copies process.env when called: set the extra variables only around that call. */
function withEnv<T>(env: Record<string, string>, start: () => T): T {
  const previous = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]))
  Object.assign(process.env, env)
  try {
    return start()
  } finally {
    for (const [key, value] of Object.entries(previous)) {
      if (value === undefined) delete process.env[key]
      else process.env[key] = value
    }
  }
}

/** The engine writes its URL into `<dataDir>/loupe.lock` once it listens. */
async function waitForLockUrl(dataDir: string, child: Child): Promise<string> {
  let exitCode: number | string | null = null
  void child.exited.then((code) => (exitCode = code))
  const deadline = Date.now() + 60_000
  while (Date.now() < deadline) {
    if (exitCode !== null) throw new Error(`loupe serve exited (${exitCode}): ${child.output().stderr.trim()}`)
    try {
      const lock = JSON.parse(readFileSync(join(dataDir, 'loupe.lock'), 'utf8')) as { url?: string }
      if (lock.url) return lock.url
    } catch {
      // not written yet, or being rewritten
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  throw new Error('loupe serve did not start listening within 60 s')
}

function withTimeout<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)))
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}
