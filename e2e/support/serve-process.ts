// Runs `loupe serve` as a real child process (the way users and CI run it) and finds its URL.

import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export const LOUPE_BIN = join(import.meta.dirname, '..', '..', 'bin', 'loupe.js')

export interface ServeProcess {
  child: ChildProcess
  baseUrl: string
  stdout(): string
  stderr(): string
  /** Resolves with the exit code (or signal name). */
  exited: Promise<number | string>
}

export function spawnServe(args: string[]): Omit<ServeProcess, 'baseUrl'> {
  const child = spawn(process.execPath, [LOUPE_BIN, 'serve', ...args], { stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  return { child, stdout: () => out, stderr: () => err, exited }
}

/** Starts `loupe serve --port 0` on a data dir and waits until it is listening. */
export async function startServe(dataDir: string, extra: string[] = []): Promise<ServeProcess> {
  const proc = spawnServe(['--port', '0', '--data-dir', dataDir, ...extra])
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (proc.child.exitCode !== null) throw new Error(`loupe serve exited: ${proc.stderr()}`)
    if (proc.stdout().includes('Press Ctrl+C')) {
      const lock = JSON.parse(readFileSync(join(dataDir, 'loupe.lock'), 'utf8')) as { url: string }
      return { ...proc, baseUrl: lock.url }
    }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  proc.child.kill('SIGKILL')
  throw new Error(`loupe serve did not start: ${proc.stdout()} ${proc.stderr()}`)
}
