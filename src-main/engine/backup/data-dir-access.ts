// The CLI's data-dir commands (backup, export-config, restore) either talk to the engine that holds the data
// dir — over its admin API, with the token from the data dir — or, when none runs, take the data dir's lock
// themselves so no engine starts while they read or replace the database.

import { chmodSync, existsSync, mkdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { acquireLock, DataDirLockedError, type DataDirLock, type LockInfo } from '../lock'
import { TOKEN_FILE } from '../token'

export interface RunningEngine {
  url: string
  token: string
  holder: LockInfo
}

export type DataDirAccess = { running: RunningEngine; lock?: undefined } | { running?: undefined; lock: DataDirLock }

export class DataDirAccessError extends Error {}

/** `create`: a missing data dir is made (0700, like the engine does), for a restore onto a new machine. */
export function accessDataDir(dataDir: string, options: { create?: boolean } = {}): DataDirAccess {
  if (!existsSync(dataDir)) {
    if (!options.create) throw new DataDirAccessError(`There is no Loupe data dir at ${dataDir} (use --data-dir).`)
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    chmodSync(dataDir, 0o700)
  }
  try {
    return { lock: acquireLock(dataDir) }
  } catch (error) {
    if (!(error instanceof DataDirLockedError)) throw error
    const { holder } = error
    if (!holder.url) throw new DataDirAccessError(`The Loupe using ${dataDir} (pid ${holder.pid}) is still starting; try again in a moment.`)
    let token: string
    try {
      token = readFileSync(join(dataDir, TOKEN_FILE), 'utf8').trim()
    } catch (cause) {
      throw new DataDirAccessError(`A Loupe (pid ${holder.pid}, ${holder.url}) uses ${dataDir}, but its admin token cannot be read: ${(cause as Error).message}`)
    }
    return { running: { url: holder.url, token, holder } }
  }
}

/** GET an admin API path of the running engine; a non-2xx answer becomes an error with the engine's message. */
export async function adminGet(engine: RunningEngine, path: string): Promise<Response> {
  const res = await fetch(`${engine.url}${path}`, { headers: { authorization: `Bearer ${engine.token}` } })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string } } | null
    throw new DataDirAccessError(`The running Loupe (${engine.url}) answered ${res.status} to ${path}: ${body?.error?.message ?? res.statusText}`)
  }
  return res
}
