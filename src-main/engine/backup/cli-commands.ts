// `loupe backup`, `loupe restore` and `loupe export-config`: each works on a data dir, whether or not an
// engine runs on it (see data-dir-access.ts). They return an exit code and write their own messages.

import { createWriteStream, existsSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join, resolve } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import { exportConfig } from '../config-file/export'
import { formatOf, type ConfigFormat } from '../config-file/load'
import { SECRET_KEY_FILE } from '../secrets/key-file-store'
import { accessDataDir, adminGet, DataDirAccessError } from './data-dir-access'
import { openReadOnly, readStoredConfig } from './offline'
import { backupDatabase } from './online-backup'
import { restoreDatabase } from './restore'

export interface Output {
  out(text: string): void
  err(text: string): void
}

export async function backupCommand(dataDir: string, file: string, io: Output): Promise<number> {
  const target = resolve(file)
  if (!existsSync(dirname(target))) return fail(io, 'backup', `the folder ${dirname(target)} does not exist`)
  if (existsSync(target)) return fail(io, 'backup', `${target} already exists; choose another file name`)
  const partial = `${target}.partial`
  try {
    const access = accessDataDir(dataDir)
    if (access.running) {
      const res = await adminGet(access.running, '/api/backup')
      await pipeline(Readable.fromWeb(res.body as WebReadableStream<Uint8Array>), createWriteStream(partial, { mode: 0o600 }))
    } else {
      try {
        const db = openReadOnly(dataDir)
        try {
          await backupDatabase(db, partial)
        } finally {
          db.close()
        }
      } finally {
        access.lock.release()
      }
    }
    renameSync(partial, target)
    io.out(`Backed up ${join(dataDir, 'loupe.db')}${access.running ? ` (from the running Loupe, ${access.running.url})` : ''} to ${target}.\n`)
    io.out(`Destinations' secrets in it open only with ${join(dataDir, SECRET_KEY_FILE)}: keep that file with the backup (privately), or enter the secrets again after a restore elsewhere.\n`)
    return 0
  } catch (error) {
    rmSync(partial, { force: true })
    return fail(io, 'backup', message(error))
  }
}

export async function restoreCommand(dataDir: string, file: string, io: Output): Promise<number> {
  let access
  try {
    access = accessDataDir(dataDir, { create: true })
  } catch (error) {
    return fail(io, 'restore', message(error))
  }
  if (access.running) {
    const { holder } = access.running
    return fail(io, 'restore', `a Loupe (pid ${holder.pid}, ${access.running.url}) is running on ${dataDir}. Stop it first, then run loupe restore again.`)
  }
  try {
    const result = await restoreDatabase(dataDir, resolve(file))
    io.out(`Restored ${resolve(file)} into ${dataDir} (schema version ${result.schemaVersion}).\n`)
    if (result.previous) io.out(`The database it replaced is kept as ${result.previous}.\n`)
    io.out(`Destinations' secrets open only with the secret.key of the data dir the backup came from; if this is another data dir, copy that file here or enter the secrets again.\n`)
    return 0
  } catch (error) {
    return fail(io, 'restore', message(error))
  } finally {
    access.lock.release()
  }
}

export async function exportConfigCommand(dataDir: string, options: { out?: string; format?: string }, io: Output): Promise<number> {
  const format = options.format ?? (options.out ? formatOf(options.out) : null) ?? 'yaml'
  if (format !== 'json' && format !== 'yaml') {
    io.err(`loupe export-config: --format must be json or yaml, got "${format}"\n`)
    return 2
  }
  try {
    const access = accessDataDir(dataDir)
    let text: string
    let variables: string[]
    if (access.running) {
      const res = await adminGet(access.running, `/api/config/export?format=${format}`)
      text = await res.text()
      variables = (res.headers.get('x-loupe-secret-variables') ?? '').split(',').filter(Boolean)
    } else {
      try {
        const db = openReadOnly(dataDir)
        try {
          const stored = await readStoredConfig(db, dataDir)
          ;({ text, variables } = exportConfig(stored.sources, stored.destinations, format as ConfigFormat, stored.plans))
        } finally {
          db.close()
        }
      } finally {
        access.lock.release()
      }
    }
    if (options.out) {
      writeFileSync(options.out, text, { mode: 0o600 })
      io.err(`Wrote ${resolve(options.out)}.\n`)
    } else io.out(text)
    if (variables.length > 0) io.err(`Secrets are written as references; set these environment variables where the file is loaded: ${variables.join(', ')}\n`)
    return 0
  } catch (error) {
    return fail(io, 'export-config', message(error))
  }
}

function fail(io: Output, command: string, text: string): number {
  io.err(`loupe ${command}: ${text}\n`)
  return 1
}

function message(error: unknown): string {
  return error instanceof DataDirAccessError ? error.message : error instanceof Error ? error.message : String(error)
}
