// Engine configuration: flags > environment (LOUPE_*) > defaults.
// A config file (`--config`, LOUPE_CONFIG) declares sources and destinations, not these settings; it is
// loaded and applied by createEngine (config-file/).

import { homedir } from 'node:os'
import { join } from 'node:path'

export type SegmentLimitsMode = 'warn' | 'reject'
export type Durability = 'normal' | 'full'

export interface EngineConfig {
  dataDir: string
  host: string
  /** 0 picks a free port. */
  port: number
  /** Unknown write keys get 401 instead of an auto-created source. */
  strictKeys: boolean
  /** `warn` stores over-limit events with a warning; `reject` answers 400 like Segment. */
  segmentLimits: SegmentLimitsMode
  /** `normal` survives a crash of Loupe; `full` also survives power loss (fsync per commit). */
  durability: Durability
  /** Hard limits that protect the engine, whatever Segment allows. */
  limits: {
    requestBytes: number
    messageBytes: number
    depth: number
  }
  retention: {
    maxEvents: number
    maxAgeDays: number
  }
  /** Extra Host names the admin surface accepts (besides loopback names). */
  allowedHosts: string[]
  /** Folder of the built renderer served at `/`; absent = found next to the build. */
  rendererDir?: string
  /** Delivery to destinations: retries back off from baseMs to maxMs, for at most retryWindowMs. */
  routing: {
    retryWindowMs: number
    backoffBaseMs: number
    backoffMaxMs: number
    /** Consecutive failed attempts after which the circuit breaker pauses a destination. */
    breakerThreshold: number
    /** How long an open circuit waits before one probe attempt. */
    breakerCooldownMs: number
  }
  /**
   * Development and tests only: every Action destination's vendor HTTP goes to this loopback base URL
   * (original Host header kept) instead of the vendor. Set by LOUPE_ACTIONS_REDIRECT.
   */
  actionsRedirect: string | null
  /** Config as code: a JSON/YAML file of sources and destinations applied at start (config-file/). */
  configFile?: string | null
  /** 'manual': the search indexer and the identity consumer run only when asked (tests of the unindexed path). */
  searchIndexing?: 'background' | 'manual'
}

export class ConfigError extends Error {}

export const DEFAULT_PORT = 7420

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Loupe')
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Loupe')
  return join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'loupe')
}

/** Flags as the CLI parsed them: every value optional, strings as typed. */
export interface ConfigFlags {
  port?: string
  host?: string
  dataDir?: string
  strictKeys?: boolean
  segmentLimits?: string
  durability?: string
  maxRequestBytes?: string
  maxMessageBytes?: string
  maxEvents?: string
  maxAgeDays?: string
  retryWindowHours?: string
  allowedHost?: string[]
  config?: string
  /** `loupe serve --ephemeral`: the CLI makes a temp data dir and passes it as dataDir; the engine ignores this. */
  ephemeral?: boolean
}

export function resolveConfig(flags: ConfigFlags = {}, env: NodeJS.ProcessEnv = process.env): EngineConfig {
  const pick = (flag: string | undefined, envName: string): string | undefined =>
    flag ?? (env[envName] === '' ? undefined : env[envName])

  return {
    dataDir: pick(flags.dataDir, 'LOUPE_DATA_DIR') ?? defaultDataDir(env),
    host: pick(flags.host, 'LOUPE_HOST') ?? '127.0.0.1',
    port: parseInteger(pick(flags.port, 'LOUPE_PORT'), DEFAULT_PORT, '--port', 0, 65535),
    strictKeys: flags.strictKeys ?? parseBoolean(env.LOUPE_STRICT_KEYS, false, 'LOUPE_STRICT_KEYS'),
    segmentLimits: parseChoice(pick(flags.segmentLimits, 'LOUPE_SEGMENT_LIMITS'), ['warn', 'reject'], 'warn', '--segment-limits'),
    durability: parseChoice(pick(flags.durability, 'LOUPE_DURABILITY'), ['normal', 'full'], 'normal', '--durability'),
    limits: {
      requestBytes: parseBytes(pick(flags.maxRequestBytes, 'LOUPE_MAX_REQUEST_BYTES'), 4 * 1024 * 1024, '--max-request-bytes'),
      messageBytes: parseBytes(pick(flags.maxMessageBytes, 'LOUPE_MAX_MESSAGE_BYTES'), 1024 * 1024, '--max-message-bytes'),
      depth: 64
    },
    retention: {
      maxEvents: parseInteger(pick(flags.maxEvents, 'LOUPE_MAX_EVENTS'), 1_000_000, '--max-events', 0, Number.MAX_SAFE_INTEGER),
      maxAgeDays: parseInteger(pick(flags.maxAgeDays, 'LOUPE_MAX_AGE_DAYS'), 30, '--max-age-days', 0, 36500)
    },
    routing: {
      retryWindowMs: parseInteger(pick(flags.retryWindowHours, 'LOUPE_RETRY_WINDOW_HOURS'), 4, '--retry-window-hours', 0, 24 * 365) * 3_600_000,
      backoffBaseMs: 1000,
      backoffMaxMs: 300_000,
      breakerThreshold: 5,
      breakerCooldownMs: 60_000
    },
    actionsRedirect: parseLoopbackUrl(env.LOUPE_ACTIONS_REDIRECT),
    configFile: pick(flags.config, 'LOUPE_CONFIG') ?? null,
    allowedHosts: flags.allowedHost ?? (env.LOUPE_ALLOWED_HOSTS ? env.LOUPE_ALLOWED_HOSTS.split(',').map((h) => h.trim()).filter(Boolean) : [])
  }
}

function parseLoopbackUrl(raw: string | undefined): string | null {
  if (!raw) return null
  let url: URL
  try {
    url = new URL(raw)
  } catch {
    throw new ConfigError(`LOUPE_ACTIONS_REDIRECT must be a URL, got "${raw}"`)
  }
  if (url.protocol !== 'http:' || !['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)) throw new ConfigError('LOUPE_ACTIONS_REDIRECT must be an http:// loopback URL')
  return url.origin
}

function parseInteger(raw: string | undefined, fallback: number, name: string, min: number, max: number): number {
  if (raw === undefined) return fallback
  if (!/^\d+$/.test(raw.trim())) throw new ConfigError(`${name} must be a whole number, got "${raw}"`)
  const value = Number(raw)
  if (value < min || value > max) throw new ConfigError(`${name} must be between ${min} and ${max}, got ${value}`)
  return value
}

const UNITS: Record<string, number> = { '': 1, b: 1, kb: 1024, k: 1024, mb: 1024 ** 2, m: 1024 ** 2, gb: 1024 ** 3, g: 1024 ** 3 }

/** "4mb", "512kb", "1048576" → bytes. */
export function parseBytes(raw: string | undefined, fallback: number, name: string): number {
  if (raw === undefined) return fallback
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(raw)
  const unit = match ? UNITS[match[2]!.toLowerCase()] : undefined
  if (!match || unit === undefined) throw new ConfigError(`${name} must be a size like 4mb or 65536, got "${raw}"`)
  const bytes = Math.floor(Number(match[1]) * unit)
  if (bytes < 1024) throw new ConfigError(`${name} must be at least 1kb, got "${raw}"`)
  return bytes
}

function parseBoolean(raw: string | undefined, fallback: boolean, name: string): boolean {
  if (raw === undefined || raw === '') return fallback
  if (/^(1|true|yes|on)$/i.test(raw)) return true
  if (/^(0|false|no|off)$/i.test(raw)) return false
  throw new ConfigError(`${name} must be true or false, got "${raw}"`)
}

function parseChoice<T extends string>(raw: string | undefined, choices: readonly T[], fallback: T, name: string): T {
  if (raw === undefined) return fallback
  if ((choices as readonly string[]).includes(raw)) return raw as T
  throw new ConfigError(`${name} must be one of ${choices.join(', ')}, got "${raw}"`)
}
