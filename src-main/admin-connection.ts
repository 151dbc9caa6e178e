// How CLI commands reach an engine's admin API: the engine running on the data dir (found through its lock,
// token read from the data dir), one at --url with --token, or — when none runs on the data dir — an engine
// started here on a free loopback port for the duration of the command, so the command always goes through
// the engine's own code paths.

import { accessDataDir, DataDirAccessError } from './engine/backup/data-dir-access'
import { defaultDataDir, resolveConfig } from './engine/config'
import { createEngine, type Engine } from './engine/index'

export interface Output {
  out(text: string): void
  err(text: string): void
}

export const STDIO: Output = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) }

/** The options every such command takes (for node:util parseArgs). */
export const CONNECTION = { 'data-dir': { type: 'string' }, url: { type: 'string' }, token: { type: 'string' } } as const

export interface Admin {
  url: string
  token: string
  close(): Promise<void>
}

/** `create`: a missing data dir is made (an import into a new one); otherwise it must exist. */
export async function connect(values: Record<string, string | undefined>, options: { create?: boolean } = {}): Promise<Admin> {
  if (values.url !== undefined) {
    const token = values.token ?? process.env.LOUPE_TOKEN
    if (!token) throw new DataDirAccessError('--url needs the admin token: --token T or LOUPE_TOKEN')
    return { url: values.url.replace(/\/+$/, ''), token, close: async () => {} }
  }
  const dataDir = values['data-dir'] ?? (process.env.LOUPE_DATA_DIR || defaultDataDir())
  const access = accessDataDir(dataDir, options)
  if (access.running) return { url: access.running.url, token: access.running.token, close: async () => {} }
  access.lock.release()
  const engine: Engine = await createEngine(resolveConfig({ dataDir, port: '0', host: '127.0.0.1' }, {}))
  const address = await engine.start()
  return { url: address.baseUrl, token: engine.token, close: () => engine.stop() }
}

export async function call(admin: Admin, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${admin.url}${path}`, { ...init, headers: { authorization: `Bearer ${admin.token}`, ...(init.headers as Record<string, string>) } })
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: { message?: string; field?: string } } | null
    const field = body?.error?.field ? ` (${body.error.field})` : ''
    throw new Error(`${res.status} from ${path}: ${body?.error?.message ?? res.statusText}${field}`)
  }
  return res
}

