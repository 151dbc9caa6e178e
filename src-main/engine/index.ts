// The composition root: createEngine(config) → { start(), stop(), … }. Runs under plain Node
// (`loupe serve`, tests) and in Electron's utilityProcess; nothing here imports electron.

import { chmodSync, existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'
import type { EngineConfig } from './config'
import { applyConfig, describeSummary } from './config-file/apply'
import { loadConfigFile } from './config-file/load'
import type { EngineContext } from './context'
import { buildApp } from './http/build-app'
import { LiveBus } from './live-bus'
import { PlanValidators } from './protocols/validator'
import { IngestValidation } from './protocols/ingest-validation'
import { AudienceEmitter } from './identity/emitter'
import { IdentityPreviews } from './identity/preview'
import { IdentityReads } from './identity/reads'
import { PrivacyPolicy } from './privacy/policy'
import { createQa } from './qa'
import { acquireLock } from './lock'
import { RateMeter } from './rate-meter'
import { IngestPressure } from './routing/ingest-pressure'
import { ReplayRunner } from './routing/replay'
import { Router } from './routing/router'
import { LineReader } from './routing/line-reader'
import { DestinationReads } from './store/destinations'
import { EventQueries } from './store/events-query'
import { closeDatabase, openDatabase } from './store/open'
import { PlanReads } from './store/plans'
import { SearchProgress } from './store/search-progress'
import { DestinationSecrets } from './secrets/destination-secrets'
import { KeyFileSecretStore } from './secrets/key-file-store'
import { SecretCache } from './secrets/secret-cache'
import type { SecretStore } from './secrets/secret-store'
import { ReplayReads } from './store/replays'
import { SourceRegistry } from './store/sources'
import { StoreThread } from './store/store-thread'
import { loadOrCreateToken } from './token'
import { VERSION } from './version'

export const DB_FILE = 'loupe.db'

export interface EngineAddress {
  host: string
  port: number
  /** Base URL for Segment clients (analytics-node `host`, analytics.js CDN). */
  baseUrl: string
  trackingUrl: string
  adminUrl: string
  /** Opens the UI and sets the session cookie; carries the token. */
  loginUrl: string
}

export interface Engine {
  readonly config: EngineConfig
  readonly token: string
  readonly dbPath: string
  readonly context: EngineContext
  /** Path of the backup taken before a schema migration, if one ran. */
  readonly backupPath: string | null
  start(): Promise<EngineAddress>
  stop(): Promise<void>
  address(): EngineAddress
}

export class PortInUseError extends Error {
  constructor(readonly host: string, readonly port: number) {
    super(`Port ${port} on ${host} is already in use. Choose another with --port <number> (or --port 0 for any free port).`)
  }
}

export interface EngineOptions {
  /** Where internal errors go (stderr for the CLI). */
  log?: (message: string) => void
  /** Electron-ABI better-sqlite3 binary, when running inside Electron. */
  nativeBinding?: string
  /** Where destination secrets are sealed: the desktop passes Electron safeStorage (over its port); headless uses a key file. */
  secrets?: SecretStore
}

export async function createEngine(config: EngineConfig, options: EngineOptions = {}): Promise<Engine> {
  const log = options.log ?? (() => {})
  // A bad config file stops start-up before the data dir is touched.
  const configSpec = config.configFile ? loadConfigFile(config.configFile) : null
  ensurePrivateDir(config.dataDir)
  const lock = acquireLock(config.dataDir)
  const dbPath = join(config.dataDir, DB_FILE)
  let opened: Awaited<ReturnType<typeof openDatabase>>
  let token: string
  try {
    token = loadOrCreateToken(config.dataDir)
    opened = await openDatabase(dbPath, { durability: config.durability, nativeBinding: options.nativeBinding })
  } catch (error) {
    lock.release()
    throw error
  }
  const { db } = opened
  const live = new LiveBus()
  const rate = new RateMeter()
  const pressure = new IngestPressure()
  // Every write happens in the store thread; this thread's connection only reads.
  let store: StoreThread
  try {
    store = new StoreThread(
      { dbPath, durability: config.durability, nativeBinding: options.nativeBinding, retention: config.retention, searchIndexing: config.searchIndexing ?? 'background' },
      (events) => {
        rate.add(events.length)
        pressure.note(events.length)
        live.publish(events)
      },
      log
    )
  } catch (error) {
    closeDatabase(db)
    lock.release()
    throw error
  }
  const search = new SearchProgress(db)
  const destinations = new DestinationReads(db)
  const secretStore = options.secrets ?? new KeyFileSecretStore(config.dataDir)
  const secrets = new DestinationSecrets(secretStore, new SecretCache(secretStore))
  await secrets.load(destinations.list())
  destinations.openSettings = (kind, settings) => secrets.open(kind, settings)
  const sources = new SourceRegistry(db, store)
  if (configSpec) {
    // Before the router starts, which then picks up every destination the file created or changed.
    try {
      for (const warning of configSpec.warnings) log(warning)
      log(describeSummary(configSpec.file, await applyConfig({ sources, destinations, store, secrets, plans: new PlanReads(db) }, configSpec)))
    } catch (error) {
      await store.close()
      closeDatabase(db)
      lock.release()
      throw error
    }
  }
  const privacy = new PrivacyPolicy(db, log)
  await store.command('privacy.failInterrupted', {})
  const policy = { ...config.routing, baseMs: config.routing.backoffBaseMs, maxMs: config.routing.backoffMaxMs }
  const lineReader = new LineReader({ dbPath, nativeBinding: options.nativeBinding }, log)
  const router = new Router(destinations, {
    reads: destinations,
    lineReader,
    store,
    policy,
    privacy,
    ingestBusy: () => pressure.busy(),
    driverEnv: (destinationId) => ({ actionsRedirect: config.actionsRedirect, destinationId, sourceName: (id) => sources.get(id)?.name ?? null }),
    log
  })
  const replayReads = new ReplayReads(db)
  const replays = new ReplayRunner(replayReads, destinations, store, router, policy, log)
  const queries = new EventQueries(db, () => search.indexedThrough(), undefined, privacy)
  const plans = new PlanReads(db)
  const planValidators = new PlanValidators()
  const validation = new IngestValidation(db, plans, planValidators, log)
  // Bindings (source → plan version, enforcement) are cached for ingest; these writes change them.
  store.onCommand((name) => {
    if (name.startsWith('plans.') || name.startsWith('sources.')) validation.invalidate()
    if (name.startsWith('privacy.') || name.startsWith('sources.')) privacy.reload()
  })
  const qa = createQa({ db, queries, store, sources, live })
  const identityReads = new IdentityReads(db)
  const identity = {
    reads: identityReads,
    previews: new IdentityPreviews(db, identityReads, { indexedThrough: () => search.indexedThrough(), idAtOrAfter: (time) => queries.idAtOrAfter(time) }),
    emitter: new AudienceEmitter(db, store, privacy, (id) => sources.get(id) !== null, log)
  }
  let address: EngineAddress | null = null

  const context: EngineContext = {
    config,
    version: VERSION,
    db,
    dbPath,
    token,
    startedAt: Date.now(),
    sources,
    store,
    queries,
    search,
    live,
    rate,
    destinations,
    router,
    replays,
    replayReads,
    secrets,
    qa,
    plans,
    planValidators,
    validation,
    privacy,
    identity,
    capture: { paused: false },
    urls() {
      const a = requireAddress()
      return { trackingUrl: a.trackingUrl, adminUrl: a.adminUrl, loginUrl: a.loginUrl }
    }
  }
  const { app, live: liveStreams } = buildApp(context, log)

  function requireAddress(): EngineAddress {
    if (!address) throw new Error('the engine is not listening yet')
    return address
  }

  let stopped = false
  return {
    config,
    token,
    dbPath,
    context,
    backupPath: opened.backupPath,
    address: requireAddress,

    async start() {
      try {
        await app.listen({ host: config.host, port: config.port })
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE') throw new PortInUseError(config.host, config.port)
        throw error
      }
      const bound = app.server.address()
      const port = typeof bound === 'object' && bound ? bound.port : config.port
      const urlHost = config.host.includes(':') ? `[${config.host}]` : config.host === '0.0.0.0' ? '127.0.0.1' : config.host
      const baseUrl = `http://${urlHost}:${port}`
      address = {
        host: config.host,
        port,
        baseUrl,
        trackingUrl: `${baseUrl}/v1`,
        adminUrl: `${baseUrl}/`,
        loginUrl: `${baseUrl}/login?token=${token}`
      }
      lock.update({ url: baseUrl })
      router.start(live)
      replays.start()
      identity.emitter.start()
      return address
    },

    async stop() {
      if (stopped) return
      stopped = true
      try {
        // A send in flight is abandoned unrecorded: it is sent again at the next start.
        await replays.stop()
        await identity.emitter.stop()
        await router.stop()
        await lineReader.close() // its connection too, before the last checkpoint
        liveStreams.closeAll()
        qa.waiters.stopAll() // held wait-for requests answer now instead of delaying app.close
        await app.close() // stops accepting; in-flight requests finish (their commits included)
        await store.close() // flushes what is queued and closes the writer's connection
        closeDatabase(db)
      } finally {
        lock.release()
      }
    }
  }
}

/** The data dir holds the token and every event: only its owner may enter it. */
function ensurePrivateDir(dir: string): void {
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    chmodSync(dir, 0o700)
  }
}
