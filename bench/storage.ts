// Storage destinations (issue #9): how fast the engine empties a stored backlog into the PostgreSQL warehouse
// and into the gzip file archive. Same method as the delivery section (bench/delivery.ts): a fresh
// `loupe serve`, a source, one destination connected to it but disabled, the backlog stored through
// /v1/batch, the search index left to catch up, then `PATCH {enabled:true}` starts the clock, which stops when
// the delivery log records the last event id. Then the result is checked where it landed:
// 1. Warehouse: a real PostgreSQL server (warehouse/test-postgres.ts: initdb in a temp dir, loopback port,
//    fsync off) and a warehouse destination loading as events arrive (loadIntervalSeconds 0, the driver's
//    5,000 events per load); row counts per table compared with what was sent.
// 2. Archive: the file destination (gzip, partitioned by source and day); every file read back, lines and
//    distinct messageIds compared with the events stored.
// `npm run bench -- --storage-only` runs just this part (~2 min). BENCH_CPU_PROF=<dir> runs the engines with
// --cpu-prof (one .cpuprofile per engine thread, written on exit); BENCH_STORAGE=warehouse or =archive runs
// one half and leaves RESULTS.md alone.

import { randomUUID } from 'node:crypto'
import { readFileSync, readdirSync } from 'node:fs'
import { loadavg } from 'node:os'
import { join, relative } from 'node:path'
import { gunzipSync } from 'node:zlib'
import type { DeliveryAttempt, DeliveryAttemptsPage, Destination } from '../src-shared/api'
import { startTestPostgres, type TestPostgres } from '../src-main/engine/destinations/warehouse/test-postgres'
import { cpuSeconds } from './cpu-time'
import { defaultLimits } from '../src-shared/default-limits'
import { admin, createDestination, createSource, ingest } from './delivery'
import { writeSection } from './results-md'
import { startEngine, tempDir, type EngineOptions, type EngineTarget } from './targets'
import { int, pct } from './results-md'
import { clockTicks } from './cpu-time'
import type { IdentityStatus } from '../src-shared/identity'

export const STORAGE_START = '<!-- storage:start (written by `npm run bench`) -->'
export const STORAGE_END = '<!-- storage:end -->'

export const STORAGE_TARGETS = { warehouseEventsPerSec: 20_000, archiveEventsPerSec: 100_000 }
const WAREHOUSE_EVENTS = 200_000
const ARCHIVE_EVENTS = 500_000
const EVENTS_PER_REQUEST = 100
const INGEST_SENDERS = 4
const POLL_MS = 25
const DRAIN_LIMIT_SECONDS = 120
const SOURCE_NAME = 'Storage bench'
/** Segment's schema name for SOURCE_NAME (naming.ts schemaName). */
const SCHEMA = 'storage_bench'
const KEYS = { warehouse: 'wk_storage_bench_wh', archive: 'wk_storage_bench_archive' }
/** One event in IDENTIFY_EVERY is an identify, the rest tracks of TRACK_NAMES in turn. */
const IDENTIFY_EVERY = 10
const USERS = 15_000
const TRACK_NAMES = ['Order Completed', 'Product Viewed', 'Signed Up', 'Feature Used'] as const

// ---- the drain, as the delivery section measures it ----------------------------------------------------

interface Drain {
  /** PATCH enabled → the delivery log shows the last event id. */
  seconds: number
  /** The first attempt's start → the last attempt's end, from the delivery log. */
  attemptSpanSeconds: number
  /** Time inside the driver's send(), summed over attempts. */
  sendSeconds: number
  attempts: number
  /** Attempts that were retries (the cursor held). */
  retries: number
  delivered: number
  pending: number
  failed: number
  lastError: string | null
  engineCpu: number | null
  /** Every process of the PostgreSQL server (warehouse only). */
  postgresCpu: number | null
  timedOut: boolean
  /** The delivery log's response of the last load (warehouse: rows per table). */
  lastResponse: string | null
}

interface Prepared {
  engine: EngineTarget
  destinationId: number
  lastEventId: number
  stored: number
  ingestSeconds: number
}

/** A source and a disabled destination, then `events` stored for it and indexed. */
async function prepare(
  root: string,
  profile: string,
  writeKey: string,
  events: number,
  destination: (sourceId: number) => { name: string; kind: Destination['kind']; settings: Record<string, unknown> },
  send: (engine: EngineTarget) => Promise<void>
): Promise<Prepared> {
  const profileDir = process.env.BENCH_CPU_PROF
  const options: EngineOptions = profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, profile)}`] } : {}
  const engine = await startEngine(root, options)
  try {
    const sourceId = await createSource(engine, SOURCE_NAME, writeKey)
    // The product's default pacing per kind (src-shared/default-limits.ts; BENCH_IN_FLIGHT overrides it).
    const maxInFlight = Number(process.env.BENCH_IN_FLIGHT ?? defaultLimits(destination(0).kind).maxInFlight)
    const destinationId = await createDestination(engine, { ...destination(sourceId), enabled: false, sourceIds: [sourceId], maxInFlight })
    const started = performance.now()
    await send(engine)
    const ingestSeconds = (performance.now() - started) / 1000
    const { stored } = await engine.stats()
    if (stored !== events) throw new Error(`stored ${stored} events, expected ${events}`)
    const newest = await admin<{ events: { id: string }[] }>(engine, 'GET', '/api/events?limit=1')
    // The search indexer and identity resolution compete with delivery for the store thread: let them finish
    // first, so the clock measures delivery alone.
    await waitForIndex(engine)
    return { engine, destinationId, lastEventId: Number(newest.events[0]!.id), stored, ingestSeconds }
  } catch (error) {
    await engine.stop()
    throw error
  }
}

async function drain(p: Prepared, postgresPort: number | null): Promise<Drain> {
  const { engine, destinationId: id } = p
  const before = await admin<Destination>(engine, 'GET', `/api/destinations/${id}`)
  // The admin API counts pending events up to 100,000.
  if (before.status.pending !== Math.min(p.stored, 100_000)) throw new Error(`${before.status.pending} events pending before enabling, expected ${p.stored}`)
  const engineCpu0 = cpuSeconds(engine.pid)
  const pgCpu0 = postgresPort === null ? null : postgresCpuSeconds(postgresPort)
  const started = performance.now()
  await admin(engine, 'PATCH', `/api/destinations/${id}`, { enabled: true })
  const deadline = started + DRAIN_LIMIT_SECONDS * 1000
  let timedOut = false
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, POLL_MS))
    const page = await admin<DeliveryAttemptsPage>(engine, 'GET', `/api/destinations/${id}/attempts?limit=1`)
    if (Number(page.attempts[0]?.lastEventId ?? 0) >= p.lastEventId) break
    if (performance.now() > deadline) {
      timedOut = true
      break
    }
  }
  const seconds = (performance.now() - started) / 1000
  const engineCpu1 = cpuSeconds(engine.pid)
  const pgCpu1 = postgresPort === null ? null : postgresCpuSeconds(postgresPort)
  const after = await admin<Destination>(engine, 'GET', `/api/destinations/${id}`)
  const attempts = await allAttempts(engine, id)
  const first = attempts[attempts.length - 1]
  const last = attempts.reduce<DeliveryAttempt | undefined>((top, a) => (top && Date.parse(top.at) + top.durationMs >= Date.parse(a.at) + a.durationMs ? top : a), undefined)
  const share = (a: number | null, b: number | null): number | null => (a !== null && b !== null ? (b - a) / seconds : null)
  return {
    seconds,
    attemptSpanSeconds: first && last ? (Date.parse(last.at) + last.durationMs - Date.parse(first.at)) / 1000 : 0,
    sendSeconds: attempts.reduce((n, a) => n + a.durationMs, 0) / 1000,
    attempts: attempts.length,
    retries: attempts.filter((a) => a.outcome === 'retry').length,
    // A fresh engine numbers events from 1: the cursor is the number of events delivered.
    delivered: Number(after.status.cursor),
    pending: after.status.pending,
    failed: after.status.failed,
    lastError: after.status.lastError ?? null,
    engineCpu: share(engineCpu0, engineCpu1),
    postgresCpu: share(pgCpu0, pgCpu1),
    timedOut,
    lastResponse: attempts[0]?.responseSample ?? null
  }
}

async function allAttempts(engine: EngineTarget, id: number): Promise<DeliveryAttempt[]> {
  const all: DeliveryAttempt[] = []
  let cursor: string | null = null
  do {
    const page: DeliveryAttemptsPage = await admin<DeliveryAttemptsPage>(engine, 'GET', `/api/destinations/${id}/attempts?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
    all.push(...page.attempts)
    cursor = page.nextCursor
  } while (cursor)
  return all
}

async function waitForIndex(engine: EngineTarget): Promise<void> {
  const deadline = performance.now() + 180_000
  const identityBehind = async (): Promise<boolean> => {
    const status = await admin<IdentityStatus>(engine, 'GET', '/api/identity/status')
    return status.position < status.latestEventId
  }
  while ((await engine.stats()).indexPending > 0 || (await identityBehind())) {
    if (performance.now() > deadline) throw new Error('the search index and identity resolution did not catch up within 180 s')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

async function stopEngine(engine: EngineTarget, label: string, problems: string[]): Promise<void> {
  const { stderr, exit } = await engine.stop()
  if (stderr.trim()) problems.push(`${label}: the engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
  if (exit !== 0) problems.push(`${label}: the engine exited with ${exit} on SIGTERM`)
}

/**
 * CPU seconds of a PostgreSQL server so far: the postmaster listening on `port` (found by its command line)
 * with its exited children, plus its live children (the backends serving the loads). Null without /proc.
 */
function postgresCpuSeconds(port: number): number | null {
  const stat = (pid: string): string[] | null => {
    try {
      const text = readFileSync(`/proc/${pid}/stat`, 'utf8')
      return text.slice(text.lastIndexOf(')') + 2).split(' ')
    } catch {
      return null
    }
  }
  try {
    const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name))
    const postmaster = pids.find((pid) => {
      try {
        const argv = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')
        return argv[0]!.endsWith('/postgres') && argv.some((arg, i) => arg === '-p' && argv[i + 1] === String(port))
      } catch {
        return false
      }
    })
    if (!postmaster) return null
    // stat fields from 3 on: ppid is field 4, utime/stime 14/15, cutime/cstime 16/17.
    const own = stat(postmaster)!
    let ticks = Number(own[11]) + Number(own[12]) + Number(own[13]) + Number(own[14])
    for (const pid of pids) {
      const fields = stat(pid)
      if (fields && fields[1] === postmaster) ticks += Number(fields[11]) + Number(fields[12])
    }
    return ticks / clockTicks()
  } catch {
    return null
  }
}



// ---- 1. the warehouse --------------------------------------------------------------------------------

/** What the warehouse backlog holds, for checking the tables afterwards. */
interface WarehouseExpectation {
  tracks: number
  perEvent: Map<string, number>
  identifies: number
  users: number
}

const PLANS = ['free', 'pro', 'team', 'enterprise']
const CONTEXT = {
  library: { name: 'analytics-node', version: '3.1.0' },
  ip: '203.0.113.7',
  locale: 'en-US',
  userAgent: 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  page: { path: '/checkout', url: 'https://shop.example.com/checkout' }
}

/** Event n of the warehouse backlog: ~10 properties per track (one nested object, one array), or an identify. */
function warehouseEvent(n: number, time: string): Record<string, unknown> {
  // Each user sends identifies in turn (some twice: the users table merges them) and tracks in between.
  const userId = `user_${(Math.floor(n / IDENTIFY_EVERY) * 7919) % USERS}`
  const common = { messageId: `wh-${n}-${randomUUID()}`, userId, anonymousId: `anon_${(n * 104_729) % (USERS * 2)}`, timestamp: time, context: CONTEXT }
  if (n % IDENTIFY_EVERY === IDENTIFY_EVERY - 1) {
    return {
      ...common,
      type: 'identify',
      traits: { email: `${userId}@example.com`, name: `User ${n % USERS}`, plan: PLANS[n % PLANS.length], company: { name: `Company ${n % 997}`, employees: 10 + (n % 500) }, logins: n % 300, verified: n % 2 === 0, created_at: '2024-03-01T10:00:00.000Z' }
    }
  }
  const name = TRACK_NAMES[n % TRACK_NAMES.length]!
  const properties: Record<string, Record<string, unknown>> = {
    'Order Completed': { order_id: `ord_${n}`, total: 94.5 + (n % 50), revenue: 80, shipping: { method: n % 2 ? 'express' : 'standard', cost: 7.5 }, tax: 7, currency: 'USD', coupon: n % 3 === 0 ? 'WINTER10' : null, item_count: 1 + (n % 4), products: ['sku-1042', 'sku-2210'], first_order: n % 5 === 0 },
    'Product Viewed': { product_id: `sku-${n % 5000}`, sku: 'TSHIRT-BLK-M', name: 'Classic T-Shirt', category: 'Apparel', brand: 'Loupe', variant: 'black', price: 24, currency: 'USD', position: n % 20, url: `https://shop.example.com/p/${n % 5000}` },
    'Signed Up': { plan: PLANS[n % PLANS.length], method: 'email', referrer: 'newsletter', trial_days: 14, utm: { source: 'newsletter', medium: 'email', campaign: 'spring' }, invited: n % 7 === 0, team_size: 1 + (n % 40), country: 'DE', marketing_opt_in: n % 2 === 1 },
    'Feature Used': { feature: 'export_csv', workspace_id: `ws_${n % 500}`, rows: 1200 + n, duration_ms: 347 + (n % 1000), success: n % 50 !== 0, format: 'csv', source: 'dashboard', filters: n % 6, scheduled: false, version: 3 }
  }
  return { ...common, type: 'track', event: name, properties: properties[name] }
}

/** Stores the warehouse backlog (100 events per /v1/batch request, INGEST_SENDERS at once); returns what to expect. */
async function ingestWarehouseBacklog(engine: EngineTarget, total: number): Promise<WarehouseExpectation> {
  const expected: WarehouseExpectation = { tracks: 0, perEvent: new Map(), identifies: 0, users: 0 }
  const users = new Set<string>()
  const auth = `Basic ${Buffer.from(`${KEYS.warehouse}:`).toString('base64')}`
  let next = 0
  const sender = async (): Promise<void> => {
    while (next < total) {
      const time = new Date().toISOString()
      const batch: Record<string, unknown>[] = []
      for (let i = 0; i < EVENTS_PER_REQUEST && next < total; i++) {
        const event = warehouseEvent(next++, time)
        batch.push(event)
        if (event.type === 'identify') {
          expected.identifies++
          users.add(event.userId as string)
        } else {
          expected.tracks++
          const table = (event.event as string).toLowerCase().replace(/ /g, '_')
          expected.perEvent.set(table, (expected.perEvent.get(table) ?? 0) + 1)
        }
      }
      const res = await fetch(`${engine.baseUrl}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify({ batch, sentAt: time }) })
      if (res.status !== 200) throw new Error(`/v1/batch answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: INGEST_SENDERS }, sender))
  expected.users = users.size
  return expected
}

interface TableCount {
  table: string
  rows: number
  expected: number
  columns: number
}

export interface WarehouseResult {
  events: number
  ingestSeconds: number
  drain: Drain
  tables: TableCount[]
  conflicts: number
  serverVersion: string
}

async function runWarehouse(root: string, problems: string[]): Promise<WarehouseResult> {
  process.stdout.write(`\n▸ Storage: warehouse — ${int(WAREHOUSE_EVENTS)} events into PostgreSQL …\n`)
  const pg: TestPostgres = await startTestPostgres()
  try {
    let expected: WarehouseExpectation | null = null
    const prepared = await prepare(
      root,
      'warehouse',
      KEYS.warehouse,
      WAREHOUSE_EVENTS,
      () => ({ name: 'Storage bench warehouse', kind: 'warehouse', settings: { host: pg.host, port: pg.port, database: pg.database, user: pg.user, loadIntervalSeconds: 0 } }),
      async (engine) => void (expected = await ingestWarehouseBacklog(engine, WAREHOUSE_EVENTS))
    )
    const want = expected as unknown as WarehouseExpectation
    process.stdout.write(`  stored ${int(prepared.stored)} events in ${prepared.ingestSeconds.toFixed(1)} s (${int(want.tracks)} tracks, ${int(want.identifies)} identifies of ${int(want.users)} users)\n`)
    let result: Drain
    try {
      result = await drain(prepared, pg.port)
    } finally {
      await stopEngine(prepared.engine, 'warehouse', problems)
    }
    const wanted = new Map<string, number>([['tracks', want.tracks], ...want.perEvent, ['identifies', want.identifies], ['users', want.users]])
    const tables: TableCount[] = []
    const listed = (await pg.query(`SELECT table_name, count(*)::int AS columns FROM information_schema.columns WHERE table_schema = $1 GROUP BY table_name ORDER BY table_name`, [SCHEMA])).rows as { table_name: string; columns: number }[]
    for (const { table_name: table, columns } of listed) {
      const rows = Number((await pg.query(`SELECT count(*) AS n FROM ${SCHEMA}."${table}"`)).rows[0].n)
      tables.push({ table, rows, expected: wanted.get(table) ?? 0, columns })
    }
    for (const [table, n] of wanted) if (!tables.some((t) => t.table === table)) tables.push({ table, rows: 0, expected: n, columns: 0 })
    for (const t of tables) if (t.rows !== t.expected) problems.push(`warehouse: ${SCHEMA}.${t.table} has ${int(t.rows)} rows, expected ${int(t.expected)}`)
    const conflicts = Number((await pg.query('SELECT coalesce(sum(count), 0) AS n FROM loupe_meta.type_conflicts')).rows[0].n)
    const serverVersion = String((await pg.query("SELECT current_setting('server_version') AS v")).rows[0].v)
    if (result.timedOut) problems.push(`warehouse: stopped after ${result.seconds.toFixed(0)} s with ${result.pending} events pending; events/s counts the ${result.delivered} delivered`)
    if (result.failed > 0) problems.push(`warehouse: ${result.failed} events failed (${result.lastError ?? 'no error recorded'})`)
    if (result.retries > 0) problems.push(`warehouse: ${result.retries} loads were retried (${result.lastError ?? 'no error recorded'})`)
    process.stdout.write(
      `  ${int(result.delivered / result.seconds)} events/s: ${int(result.delivered)} events in ${result.seconds.toFixed(2)} s, ${result.attempts} loads (${result.sendSeconds.toFixed(2)} s inside send), ` +
        `CPU engine ${pct(result.engineCpu)} / PostgreSQL ${pct(result.postgresCpu)}; rows ${tables.map((t) => `${t.table} ${int(t.rows)}${t.rows === t.expected ? '' : ` (expected ${int(t.expected)})`}`).join(', ')}\n`
    )
    return { events: WAREHOUSE_EVENTS, ingestSeconds: prepared.ingestSeconds, drain: result, tables, conflicts, serverVersion }
  } finally {
    await pg.destroy()
  }
}

// ---- 2. the archive ----------------------------------------------------------------------------------

export interface ArchiveResult {
  events: number
  ingestSeconds: number
  drain: Drain
  files: number
  bytes: number
  lines: number
  distinctIds: number
  /** Partition folders, relative to the archive folder. */
  folders: string[]
}

async function runArchive(root: string, problems: string[]): Promise<ArchiveResult> {
  process.stdout.write(`\n▸ Storage: archive — ${int(ARCHIVE_EVENTS)} events into gzip files …\n`)
  const archive = tempDir('loupe-bench-archive-')
  try {
    const prepared = await prepare(
      root,
      'archive',
      KEYS.archive,
      ARCHIVE_EVENTS,
      () => ({ name: 'Storage bench archive', kind: 'file', settings: { folder: archive.path, gzip: true, partition: 'source-day' } }),
      (engine) => ingest(engine, KEYS.archive, ARCHIVE_EVENTS)
    )
    process.stdout.write(`  stored ${int(prepared.stored)} events in ${prepared.ingestSeconds.toFixed(1)} s\n`)
    let result: Drain
    try {
      result = await drain(prepared, null)
    } finally {
      await stopEngine(prepared.engine, 'archive', problems)
    }
    const read = readArchive(archive.path)
    if (read.lines !== ARCHIVE_EVENTS) problems.push(`archive: ${int(read.lines)} lines written, expected ${int(ARCHIVE_EVENTS)}`)
    if (read.distinctIds !== ARCHIVE_EVENTS) problems.push(`archive: ${int(read.distinctIds)} distinct messageIds in the files, expected ${int(ARCHIVE_EVENTS)}`)
    if (result.timedOut) problems.push(`archive: stopped after ${result.seconds.toFixed(0)} s with ${result.pending} events pending; events/s counts the ${result.delivered} delivered`)
    if (result.failed > 0) problems.push(`archive: ${result.failed} events failed (${result.lastError ?? 'no error recorded'})`)
    if (result.retries > 0) problems.push(`archive: ${result.retries} appends were retried (${result.lastError ?? 'no error recorded'})`)
    process.stdout.write(
      `  ${int(result.delivered / result.seconds)} events/s: ${int(result.delivered)} events in ${result.seconds.toFixed(2)} s, ${result.attempts} appends (${result.sendSeconds.toFixed(2)} s inside send), CPU engine ${pct(result.engineCpu)}; ` +
        `${read.files} files, ${(read.bytes / 1024 ** 2).toFixed(1)} MB, ${int(read.lines)} lines, ${int(read.distinctIds)} distinct messageIds\n`
    )
    return { events: ARCHIVE_EVENTS, ingestSeconds: prepared.ingestSeconds, drain: result, ...read }
  } finally {
    archive.remove()
  }
}

/** Every file of the archive decompressed (all gzip members) and its lines counted. */
function readArchive(folder: string): Pick<ArchiveResult, 'files' | 'bytes' | 'lines' | 'distinctIds' | 'folders'> {
  let files = 0
  let bytes = 0
  let lines = 0
  const ids = new Set<string>()
  const folders = new Set<string>()
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) {
        walk(path)
        continue
      }
      files++
      folders.add(relative(folder, dir))
      const raw = readFileSync(path)
      bytes += raw.length
      const text = (entry.name.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8')
      for (const line of text.split('\n')) {
        if (line === '') continue
        lines++
        const at = line.indexOf('"messageId":"')
        if (at !== -1) ids.add(line.slice(at + 13, line.indexOf('"', at + 13)))
      }
    }
  }
  walk(folder)
  return { files, bytes, lines, distinctIds: ids.size, folders: [...folders].sort() }
}

// ---- the section ---------------------------------------------------------------------------------------

export interface StorageResult {
  warehouse: WarehouseResult | null
  archive: ArchiveResult | null
  problems: string[]
}

export async function runStorageBench(root: string, resultsFile: string, machine: Array<[string, string]>): Promise<StorageResult> {
  const only = process.env.BENCH_STORAGE ?? null
  const problems: string[] = []
  const warehouse = only === null || only === 'warehouse' ? await runWarehouse(root, problems) : null
  const archive = only === null || only === 'archive' ? await runArchive(root, problems) : null
  const result = { warehouse, archive, problems }
  for (const t of storageTargets(result)) process.stdout.write(`  target ${t.label}: ${t.goal}, measured ${t.actual} — ${t.met ? 'met' : 'MISSED'}\n`)
  if (only === null) {
    writeSection(resultsFile, STORAGE_START, STORAGE_END, render(result, machine))
    process.stdout.write('\nWrote the storage section of bench/RESULTS.md\n')
  }
  return result
}

/** Counts that do not match or events left undelivered make the run fail; a missed speed target does not. */
export function storageBroken(result: StorageResult): boolean {
  const wh = result.warehouse
  const ar = result.archive
  return Boolean(
    (wh && (wh.drain.pending > 0 || wh.drain.failed > 0 || wh.tables.some((t) => t.rows !== t.expected))) ||
      (ar && (ar.drain.pending > 0 || ar.drain.failed > 0 || ar.lines !== ar.events || ar.distinctIds !== ar.events))
  )
}

function storageTargets(r: StorageResult): { label: string; goal: string; actual: string; met: boolean }[] {
  const rows: { label: string; goal: string; actual: string; met: boolean }[] = []
  const check = (label: string, drain: Drain, goal: number) => {
    const rate = drain.delivered / drain.seconds
    rows.push({ label, goal: `≥ ${int(goal)} events/s`, actual: `${int(rate)} events/s`, met: rate >= goal && drain.pending === 0 })
  }
  if (r.warehouse) check('Warehouse load (PostgreSQL)', r.warehouse.drain, STORAGE_TARGETS.warehouseEventsPerSec)
  if (r.archive) check('Archive write (gzip NDJSON, partitioned by source and day)', r.archive.drain, STORAGE_TARGETS.archiveEventsPerSec)
  return rows
}

function render(r: StorageResult, machine: Array<[string, string]>): string {
  const lines = [`## Storage destinations — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`, '']
  lines.push('| Destination | events | events / send | seconds | events/s | sends (retries) | time inside send | CPU engine / PostgreSQL | pending / failed after | checked |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|')
  const row = (name: string, events: number, perSend: number, d: Drain, checked: string) =>
    lines.push(
      `| ${name} | ${int(events)} | ${int(perSend)} | ${d.seconds.toFixed(2)} | ${int(d.delivered / d.seconds)} | ${d.attempts - d.retries} (${d.retries}) | ${d.sendSeconds.toFixed(2)} s | ` +
        `${pct(d.engineCpu)} / ${pct(d.postgresCpu)} | ${d.pending} / ${d.failed} | ${checked} |`
    )
  const wh = r.warehouse
  if (wh) {
    const ok = wh.tables.every((t) => t.rows === t.expected)
    row('Warehouse (PostgreSQL, upsert through staging tables)', wh.events, 5000, wh.drain, ok ? 'row counts = events sent' : '**row counts differ**')
  }
  const ar = r.archive
  if (ar) {
    const ok = ar.lines === ar.events && ar.distinctIds === ar.events
    row('Archive (file, gzip, partitioned by source and day)', ar.events, ar.drain.attempts > 0 ? ar.events / (ar.drain.attempts - ar.drain.retries) : 0, ar.drain, ok ? 'lines = distinct messageIds = events' : '**lines differ**')
  }
  if (wh) {
    lines.push('', `**Warehouse rows per table** (schema \`${SCHEMA}\`, PostgreSQL ${wh.serverVersion}; read back with \`count(*)\` after the drain):`, '')
    lines.push('| Table | rows | expected | columns |', '|---|---:|---:|---:|')
    for (const t of wh.tables) lines.push(`| \`${t.table}\` | ${int(t.rows)} | ${int(t.expected)} | ${t.columns} |`)
    lines.push('', `Type conflicts recorded: ${int(wh.conflicts)}. The last load's delivery-log answer: ${wh.drain.lastResponse ? `\`${wh.drain.lastResponse}\`` : '—'}.`)
  }
  if (ar) lines.push('', `**Archive files:** ${ar.files} file${ar.files === 1 ? '' : 's'}, ${(ar.bytes / 1024 ** 2).toFixed(1)} MB in ${ar.folders.map((f) => `\`${f}/\``).join(', ')}; decompressed: ${int(ar.lines)} lines, ${int(ar.distinctIds)} distinct messageIds.`)
  lines.push('', '| Target | Goal | Measured | |', '|---|---|---|---|')
  for (const t of storageTargets(r)) lines.push(`| ${t.label} | ${t.goal} | ${t.actual} | ${t.met ? 'met' : '**missed**'} |`)
  lines.push('', '**Problems seen:** ' + (r.problems.length === 0 ? 'none (every event loaded or written once, none failed, no retries).' : ''))
  for (const p of r.problems) lines.push(`- ${p}`)
  lines.push(
    '',
    '**Method:**',
    '',
    `- each destination: a fresh \`loupe serve\` (as in the ingest table); a source "${SOURCE_NAME}" and the destination connected to it, created disabled (sends in flight: the kind's default, \`src-shared/default-limits.ts\` — a warehouse 3 loads, the archive 2 batches); the backlog stored through \`/v1/batch\` (${EVENTS_PER_REQUEST} events per request, ${INGEST_SENDERS} at once); the run waits for the search index and identity resolution to catch up; then \`PATCH /api/destinations/:id {enabled:true}\` starts the clock`,
    `- the clock stops when \`GET /api/destinations/:id/attempts?limit=1\` shows the last event id recorded (polled every ${POLL_MS} ms); events/s = events delivered ÷ that time; "time inside send" = the delivery log's \`durationMs\` summed over the sends (the rest is reading and preparing events on the engine's main thread and recording attempts)`,
    `- warehouse: a real PostgreSQL server started for the run (\`startTestPostgres()\` from src-main/engine/destinations/warehouse/test-postgres.ts: \`initdb\` into a temp dir as the \`postgres\` user, loopback TCP, **\`fsync=off\`, \`synchronous_commit=off\`, \`full_page_writes=off\`** — a durable server writes more per commit), on the same 2 cores as the engine; settings \`{host, port, database, user, loadIntervalSeconds: 0}\`; the driver loads 5,000 events per send, all tables of a load in one transaction: per table its staging table (a temp table the connection keeps, emptied at every commit) filled with \`COPY … FROM STDIN\` (values in COPY's text format, 64 KB chunks), then \`INSERT … SELECT … ON CONFLICT (id) DO UPDATE\` from it`,
    `- warehouse backlog: ${int(WAREHOUSE_EVENTS)} events, 1 in ${IDENTIFY_EVERY} an identify (7 traits, one nested) of ${int(USERS)} users, the others tracks of ${TRACK_NAMES.map((n) => `"${n}"`).join(', ')} in turn with 10 properties each (a nested object or an array among them) and 6 context fields; expected rows: \`tracks\` = track events, each event table = its events, \`identifies\` = identify events, \`users\` = distinct identified users`,
    '- CPU = CPU time ÷ wall time over the drain (100 % = one core): the engine process (all its threads), and the PostgreSQL server (postmaster, its exited and its live child processes)',
    `- archive: \`{folder, gzip: true, partition: "source-day"}\` in a temp dir (gzip level 1, 1,000 events per append, lines read and built by the line reader thread one batch ahead, each append gzip members of 250 lines compressed on the thread pool, an fsync per append); the backlog is the analytics-node bodies of the ingest table; afterwards every file is decompressed (all gzip members) and its lines and distinct \`messageId\`s counted`,
    '',
    '**Machine:**',
    ''
  )
  for (const [key, value] of machine) lines.push(`- ${key}: ${value}`)
  lines.push(`- load average after the run: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`)
  return lines.join('\n')
}


