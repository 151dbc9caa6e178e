// Every process the benchmark starts goes through here, so each one is stopped by its own PID (SIGTERM,
// then SIGKILL after a grace period) and none outlives the benchmark, even when it fails or is interrupted.

import { spawn, type ChildProcess } from 'node:child_process'

export interface Child {
  pid: number
  /** Resolves with the exit code (or the signal's name) once the process has exited. */
  exited: Promise<number | string>
  output(): { stdout: string; stderr: string }
  /** Resolves with the first complete stdout line. */
  firstLine(): Promise<string>
}

const running = new Map<number, ChildProcess>()

export function startChild(command: string, args: string[], cwd: string): Child {
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
  if (child.pid === undefined) throw new Error(`could not start ${command} ${args.join(' ')}`)
  const pid = child.pid
  running.set(pid, child)
  let stdout = ''
  let stderr = ''
  const lineWaiters: Array<(line: string) => void> = []
  child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    stdout += chunk
    const newline = stdout.indexOf('\n')
    if (newline !== -1) for (const resolve of lineWaiters.splice(0)) resolve(stdout.slice(0, newline))
  })
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => {
      running.delete(pid)
      resolve(code ?? signal ?? 'unknown')
    })
  })
  return {
    pid,
    exited,
    output: () => ({ stdout, stderr }),
    firstLine() {
      const newline = stdout.indexOf('\n')
      if (newline !== -1) return Promise.resolve(stdout.slice(0, newline))
      return new Promise((resolve, reject) => {
        lineWaiters.push(resolve)
        void exited.then((code) => reject(new Error(`${command} exited (${code}) before printing a line: ${stderr.trim()}`)))
      })
    }
  }
}

/** SIGTERM to this PID, SIGKILL if it is still running after `graceMs`. */
export async function stopChild(child: Child, graceMs = 15_000): Promise<number | string> {
  if (!running.has(child.pid)) return child.exited
  signal(child.pid, 'SIGTERM')
  const timer = setTimeout(() => signal(child.pid, 'SIGKILL'), graceMs)
  const code = await child.exited
  clearTimeout(timer)
  return code
}

/** Last resort on the way out: SIGKILL every process still running, each by its PID. */
export function killStartedChildren(): void {
  for (const pid of running.keys()) signal(pid, 'SIGKILL')
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name)
  } catch {
    // already gone
  }
}
