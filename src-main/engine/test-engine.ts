// Starts a real engine for tests: port 0 on loopback, a fresh temp data dir, real SQLite.
// Not a mock: everything a test does goes over HTTP to the same code `loupe serve` runs.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { resolveConfig, type ConfigFlags, type EngineConfig } from './config'
import { createEngine, type Engine, type EngineAddress } from './index'

export interface TestEngine {
  engine: Engine
  address: EngineAddress
  baseUrl: string
  token: string
  dataDir: string
  /** fetch against the admin API with the bearer token. */
  admin(path: string, init?: RequestInit): Promise<Response>
  /** GET an admin API path and parse its JSON (tests assert on the shape). */
  get(path: string): Promise<any>
  /** POST JSON to the tracking API with a write key as HTTP Basic. */
  track(path: string, body: unknown, writeKey?: string, headers?: Record<string, string>): Promise<Response>
  /** Makes every committed event searchable now (the indexer otherwise works in the background). */
  indexNow(): Promise<void>
  stop(options?: { keepData?: boolean }): Promise<void>
}

export async function startTestEngine(flags: ConfigFlags = {}, tweak?: (config: EngineConfig) => void): Promise<TestEngine> {
  const dataDir = flags.dataDir ?? mkdtempSync(join(tmpdir(), 'loupe-test-'))
  const config = resolveConfig({ port: '0', ...flags, dataDir }, {})
  tweak?.(config)
  const engine = await createEngine(config, { log: (message) => process.stderr.write(`[engine] ${message}\n`) })
  const address = await engine.start()
  const baseUrl = address.baseUrl
  const admin = (path: string, init: RequestInit = {}): Promise<Response> => {
    const headers = new Headers(init.headers)
    if (!headers.has('authorization')) headers.set('authorization', `Bearer ${engine.token}`)
    return fetch(`${baseUrl}${path}`, { ...init, headers })
  }
  return {
    engine,
    address,
    baseUrl,
    token: engine.token,
    dataDir,
    admin,
    async get(path) {
      return readJson(await admin(path))
    },
    track(path, body, writeKey = 'wk_test', headers = {}) {
      return fetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: basicAuth(writeKey), ...headers },
        body: typeof body === 'string' ? body : JSON.stringify(body)
      })
    },
    indexNow() {
      return engine.context.store.indexNow()
    },
    async stop(options = {}) {
      await engine.stop()
      if (!options.keepData && !flags.dataDir) rmSync(dataDir, { recursive: true, force: true })
    }
  }
}

export function basicAuth(writeKey: string): string {
  return `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
}

/** A response's JSON, typed loosely for assertions. */
export async function readJson(res: Response): Promise<any> {
  return res.json()
}
