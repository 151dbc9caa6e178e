// One engine per data dir. The lock file names the process holding it, so a second `loupe serve` (or
// the desktop app) can say which one is running. A lock left by a process that no longer exists
// (kill -9, power loss) is taken over.

import { openSync, readFileSync, unlinkSync, writeFileSync, closeSync } from 'node:fs'
import { join } from 'node:path'

export const LOCK_FILE = 'loupe.lock'

export interface LockInfo {
  pid: number
  startedAt: string
  url?: string
}

export class DataDirLockedError extends Error {
  constructor(readonly dataDir: string, readonly holder: LockInfo) {
    super(
      `Another Loupe (pid ${holder.pid}${holder.url ? `, ${holder.url}` : ''}, started ${holder.startedAt}) is using the data dir ${dataDir}. ` +
        `Stop it, or start this one with another --data-dir. (If no such Loupe runs, delete ${join(dataDir, LOCK_FILE)}.)`
    )
  }
}

export interface DataDirLock {
  update(info: Partial<LockInfo>): void
  release(): void
}

export function acquireLock(dataDir: string): DataDirLock {
  const file = join(dataDir, LOCK_FILE)
  const info: LockInfo = { pid: process.pid, startedAt: new Date().toISOString() }
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600)
      writeFileSync(fd, JSON.stringify(info))
      closeSync(fd)
      return {
        update(more) {
          Object.assign(info, more)
          writeFileSync(file, JSON.stringify(info))
        },
        release() {
          try {
            unlinkSync(file)
          } catch {
            // already gone
          }
        }
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      const holder = readHolder(file)
      if (holder && isAlive(holder.pid)) throw new DataDirLockedError(dataDir, holder)
      unlinkSync(file) // stale: its process is gone
    }
  }
  throw new Error(`Could not take the lock ${file}`)
}

function readHolder(file: string): LockInfo | null {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as LockInfo
    return typeof parsed.pid === 'number' ? parsed : null
  } catch {
    return null
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
