// Identity resolution (issue #8): what it costs ingest, how fast a profile page loads, how long a rebuild of the
// graph from history takes. Two fresh `loupe serve` processes:
// 1. Ingest + profile page: one source, the standard backend batch load (bench/payloads.ts: tracks of 50,000
//    users). Runs A have identity resolution off (`PUT /api/identity/settings {"enabled": false}`), runs B on,
//    in the order A B B A A B B A; each B run is compared with the A run next to it and the median of those
//    ratios is the result. After each B run the consumer's catch-up is awaited and timed (it gives way to
//    ingest, so it lags during a burst). Then one user gets 10,000 events (two devices, one login) and their
//    profile page — GET /api/profiles/:id then its first timeline page — is loaded 200 times.
// 2. Rebuild: 1,000,000 web events (anonymous browsing on two devices per person, logins, identifies with an
//    email trait; 100,000 people) stored with identity off, then `PUT /api/identity/settings {"enabled": true,
//    "rebuild": true}` timed until the consumer has caught up; the graph is then checked against the generator.
// `npm run bench -- --identity-only` runs just this part (~3 min).

import { loadavg } from 'node:os'
import type { IdentityStatus, ProfileDetail, ProfileSummary } from '../src-shared/identity'
import { cpuSeconds } from './cpu-time'
import { admin, createSource } from './delivery'
import type { LoadConfig, LoadResult } from './load'
import { runLoad } from './load-runner'
import { pairedSummary, settledCount } from './paired-runs'
import { int, ms, pct, writeSection } from './results-md'
import { startEngine, type EngineTarget } from './targets'

export const IDENTITY_START = '<!-- identity:start (written by `npm run bench`) -->'
export const IDENTITY_END = '<!-- identity:end -->'

export const IDENTITY_TARGETS = { onVsOff: 0.8, profilePageP95Ms: 100, rebuildSeconds: 120 }
const CONNECTIONS = 32
const WARMUP_SECONDS = 3
const MEASURE_SECONDS = 5
const ORDER: Array<'A' | 'B'> = ['A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']
const KEY = 'wk_identity_bench'
const HEAVY_EVENTS = 10_000
const PAGE_LOADS = 200
const HISTORY_EVENTS = 1_000_000
const PEOPLE = 100_000
const BATCH = 100
const REBUILD_LIMIT_SECONDS = 300

export interface IdentityRun {
  mode: 'A' | 'B'
  load: LoadResult
  acked: number
  stored: number
  engineCpu: number | null
  /** Seconds the consumer needed after the run to reach the last stored event (B only). */
  catchUpSeconds: number | null
}

export interface IdentityBenchResult {
  runs: IdentityRun[]
  pairRatios: number[]
  ratio: number
  perSec: { A: number; B: number }
  page: { detailMs: number[]; eventsMs: number[]; pageMs: number[]; events: number; identities: number }
  rebuild: { seedSeconds: number; indexSeconds: number; stored: number; seconds: number; engineCpu: number | null; status: IdentityStatus; expectedProfiles: number; sampleOk: boolean }
  problems: string[]
  broken: boolean
}

export async function runIdentityBench(root: string, resultsFile: string, machine: Array<[string, string]>): Promise<IdentityBenchResult> {
  const problems: string[] = []
  let broken = false
  const fail = (message: string): void => {
    problems.push(message)
    broken = true
  }
  process.stdout.write(`\n▸ Identity, ingest: resolution off (A) / on (B), runs ${ORDER.join(' ')} of ~${MEASURE_SECONDS} s, then a ${int(HEAVY_EVENTS)}-event profile page …\n`)
  const ingest = await measureIngestAndPage(root, fail, problems)
  process.stdout.write(`\n▸ Identity, rebuild: ${int(HISTORY_EVENTS)} web events of ${int(PEOPLE)} people …\n`)
  const rebuild = await measureRebuild(root, fail, problems)
  const result: IdentityBenchResult = { ...ingest, rebuild, problems, broken }
  const markdown = render(result, machine)
  process.stdout.write(`\n${markdown}\n`)
  writeSection(resultsFile, IDENTITY_START, IDENTITY_END, markdown)
  return result
}

async function caughtUp(engine: EngineTarget, limitSeconds: number): Promise<{ seconds: number; status: IdentityStatus }> {
  const started = performance.now()
  for (;;) {
    const status = await admin<IdentityStatus>(engine, 'GET', '/api/identity/status')
    if (status.position >= status.latestEventId && !status.rebuilding) return { seconds: (performance.now() - started) / 1000, status }
    if (performance.now() - started > limitSeconds * 1000) throw new Error(`identity did not catch up within ${limitSeconds} s: ${JSON.stringify(status)}`)
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

/** The search indexer shares the store thread with identity resolution: a rebuild is timed once it is idle. */
async function searchIndexed(engine: EngineTarget, limitSeconds: number): Promise<number> {
  const started = performance.now()
  while ((await engine.stats()).indexPending > 0) {
    if (performance.now() - started > limitSeconds * 1000) throw new Error(`the search index did not catch up within ${limitSeconds} s`)
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
  return (performance.now() - started) / 1000
}

const setEnabled = (engine: EngineTarget, enabled: boolean, rebuild = false): Promise<unknown> => admin(engine, 'PUT', '/api/identity/settings', { enabled, ...(rebuild ? { rebuild } : {}) })

type IngestPart = Pick<IdentityBenchResult, 'runs' | 'pairRatios' | 'ratio' | 'perSec' | 'page'>

async function measureIngestAndPage(root: string, fail: (m: string) => void, problems: string[]): Promise<IngestPart> {
  const engine = await startEngine(root)
  let stopped = false
  try {
    await createSource(engine, 'Identity bench', KEY)
    const load: Omit<LoadConfig, 'maxSeconds'> = { url: `${engine.baseUrl}/v1/batch`, path: '/v1/batch', kind: 'batch', writeKey: KEY, connections: CONNECTIONS }
    const rates: number[] = []
    for (const mode of ['A', 'B'] as const) {
      await setEnabled(engine, mode === 'B')
      const warmup = await runLoad(root, { ...load, durationSeconds: WARMUP_SECONDS, maxSeconds: WARMUP_SECONDS + 5 })
      if (warmup.ok === 0) throw new Error(`no 2xx answer during the warm-up: ${JSON.stringify(warmup.statusCodes)}`)
      rates.push(warmup.ok / warmup.seconds)
      if (mode === 'B') await caughtUp(engine, 120)
    }
    const amount = Math.max(CONNECTIONS * 20, Math.round(Math.min(...rates) * MEASURE_SECONDS))
    const runs: IdentityRun[] = []
    for (const mode of ORDER) {
      await setEnabled(engine, mode === 'B')
      const before = await settledCount(engine)
      const cpu0 = cpuSeconds(engine.pid)
      const measured = await runLoad(root, { ...load, amount, maxSeconds: MEASURE_SECONDS * 3 })
      const cpu1 = cpuSeconds(engine.pid)
      const stored = (await settledCount(engine)) - before
      const catchUp = mode === 'B' ? (await caughtUp(engine, 120)).seconds : null
      const run: IdentityRun = { mode, load: measured, acked: measured.ok * measured.eventsPerRequest, stored, engineCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / measured.seconds : null, catchUpSeconds: catchUp }
      runs.push(run)
      const label = `run ${runs.length} (${mode})`
      if (run.stored !== run.acked) fail(`${label}: the engine stored ${run.stored} events but acknowledged ${run.acked} with 2xx`)
      if (measured.non2xx > 0) problems.push(`${label}: ${measured.non2xx} non-2xx answers ${JSON.stringify(measured.statusCodes)}`)
      if (measured.errors > 0) problems.push(`${label}: ${measured.errors} connection errors / timeouts`)
      process.stdout.write(`  ${label}: ${int(run.acked / measured.seconds)} events/s, p99 ${measured.latencyMs.p99.toFixed(1)} ms, stored ${int(stored)} / acked ${int(run.acked)}${catchUp === null ? '' : `, identity caught up ${catchUp.toFixed(1)} s after`}\n`)
    }
    const { pairRatios, ratio, perSec } = pairedSummary(runs, (run) => run.mode)
    // Resolution stayed off for the last A run: turn it on and let it catch up before the profile page.
    await setEnabled(engine, true)
    await caughtUp(engine, 120)
    const page = await measureProfilePage(engine, fail)
    stopped = true
    const { exit, stderr } = await engine.stop()
    if (stderr.trim()) problems.push(`engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`engine exited with ${exit} on SIGTERM`)
    return { runs, pairRatios, ratio, perSec, page }
  } finally {
    if (!stopped) await engine.stop()
  }
}

async function post(engine: EngineTarget, writeKey: string, batch: unknown[]): Promise<void> {
  const res = await fetch(`${engine.baseUrl}/v1/batch`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}` },
    body: JSON.stringify({ batch })
  })
  if (res.status !== 200) throw new Error(`/v1/batch answered ${res.status}: ${await res.text()}`)
}

async function measureProfilePage(engine: EngineTarget, fail: (m: string) => void): Promise<IdentityBenchResult['page']> {
  const t0 = Date.now() - HEAVY_EVENTS * 1000
  for (let b = 0; b < HEAVY_EVENTS / BATCH; b++) {
    await post(engine, KEY, Array.from({ length: BATCH }, (_, i) => {
      const n = b * BATCH + i
      const anonymousId = n % 2 ? 'heavy-laptop' : 'heavy-phone'
      const base = { anonymousId, messageId: `heavy-${n}`, timestamp: new Date(t0 + n * 1000).toISOString() }
      if (n === 10 || n === 11) return { ...base, type: 'identify', userId: 'heavy-user', traits: { email: 'heavy@example.com', plan: 'pro' } }
      return { ...base, type: 'track', event: n % 5 ? 'Product Viewed' : 'Order Completed', ...(n > 11 ? { userId: 'heavy-user' } : {}), properties: { sku: `sku-${n % 40}`, revenue: n % 97 } }
    }))
  }
  await caughtUp(engine, 60)
  const found = await admin<{ profiles: ProfileSummary[] }>(engine, 'GET', '/api/profiles?q=heavy-user')
  const id = found.profiles[0]?.id
  if (id === undefined) throw new Error('the heavy user has no profile')
  const detailMs: number[] = []
  const eventsMs: number[] = []
  const pageMs: number[] = []
  let detail: ProfileDetail | null = null
  for (let i = 0; i < PAGE_LOADS; i++) {
    const a = performance.now()
    detail = await admin<ProfileDetail>(engine, 'GET', `/api/profiles/${id}`)
    const b = performance.now()
    const events = await admin<{ events: unknown[] }>(engine, 'GET', `/api/profiles/${id}/events?limit=50`)
    const c = performance.now()
    if (events.events.length !== 50) fail(`the profile's first timeline page has ${events.events.length} events`)
    detailMs.push(b - a)
    eventsMs.push(c - b)
    pageMs.push(c - a)
  }
  if (detail!.events !== HEAVY_EVENTS) fail(`the heavy profile holds ${detail!.events} events, expected ${HEAVY_EVENTS}`)
  if (detail!.identityList.length !== 4) fail(`the heavy profile has ${detail!.identityList.length} identities, expected 4 (user id, email, two devices)`)
  return { detailMs, eventsMs, pageMs, events: detail!.events, identities: detail!.identityList.length }
}

/** The k-th visit (0–9) of person p, a web event: visits alternate two devices; a third of people log in from their third visit on. */
function visit(n: number): { p: number; k: number; device: number; loggedIn: boolean } {
  const p = (n * 7919) % PEOPLE
  const k = Math.floor(n / PEOPLE)
  return { p, k, device: k % 2, loggedIn: p % 3 === 0 && k >= 2 }
}

function webEvent(n: number, t0: number): Record<string, unknown> {
  const { p, k, device, loggedIn } = visit(n)
  const base: Record<string, unknown> = { anonymousId: `anon-${p}-${device}`, messageId: `web-${n}`, timestamp: new Date(t0 + n).toISOString(), context: { library: { name: 'analytics.js', version: 'next-1.70.0' }, page: { url: 'https://shop.example/p' } } }
  if (loggedIn) base.userId = `user-${p}`
  // The login on each device is an identify with the email trait.
  if (loggedIn && k <= 3) return { ...base, type: 'identify', traits: { email: `person${p}@example.com`, plan: p % 2 ? 'pro' : 'free' } }
  return n % 3 ? { ...base, type: 'page', name: 'Product' } : { ...base, type: 'track', event: 'Product Viewed', properties: { sku: `sku-${n % 50}` } }
}

/** Profiles the generator makes: one per person who logged in (both devices joined it), else one per device seen. */
function expectedProfiles(): number {
  const devices = new Map<number, Set<number>>()
  const loggedIn = new Set<number>()
  for (let n = 0; n < HISTORY_EVENTS; n++) {
    const v = visit(n)
    ;(devices.get(v.p) ?? devices.set(v.p, new Set()).get(v.p)!).add(v.device)
    if (v.loggedIn) loggedIn.add(v.p)
  }
  let count = 0
  for (const [p, seen] of devices) count += loggedIn.has(p) ? 1 : seen.size
  return count
}

async function measureRebuild(root: string, fail: (m: string) => void, problems: string[]): Promise<IdentityBenchResult['rebuild']> {
  const engine = await startEngine(root)
  let stopped = false
  try {
    await createSource(engine, 'Identity history', KEY)
    await setEnabled(engine, false)
    const t0 = Date.now() - HISTORY_EVENTS
    let started = performance.now()
    let next = 0
    const worker = async (): Promise<void> => {
      for (let b = next++; b < HISTORY_EVENTS / BATCH; b = next++) await post(engine, KEY, Array.from({ length: BATCH }, (_, i) => webEvent(b * BATCH + i, t0)))
    }
    await Promise.all(Array.from({ length: 8 }, worker))
    const seedSeconds = (performance.now() - started) / 1000
    const stored = await settledCount(engine)
    if (stored !== HISTORY_EVENTS) fail(`seeding stored ${stored} events, expected ${HISTORY_EVENTS}`)
    const indexSeconds = await searchIndexed(engine, 600)
    process.stdout.write(`  seeded ${int(stored)} events in ${seedSeconds.toFixed(1)} s; the search index caught up ${indexSeconds.toFixed(1)} s later\n`)

    const cpu0 = cpuSeconds(engine.pid)
    started = performance.now()
    await setEnabled(engine, true, true)
    const { status } = await caughtUp(engine, REBUILD_LIMIT_SECONDS)
    const seconds = (performance.now() - started) / 1000
    const cpu1 = cpuSeconds(engine.pid)
    process.stdout.write(`  rebuilt the graph of ${int(stored)} events in ${seconds.toFixed(1)} s: ${int(status.profiles)} profiles, ${int(status.identities)} identities, ${int(status.merges)} merges\n`)
    const expected = expectedProfiles()
    if (status.profiles !== expected) fail(`the rebuilt graph has ${status.profiles} profiles; the generator made ${expected}`)
    // A logged-in person: user id, email and both devices in one profile.
    const sample = await admin<{ profiles: ProfileSummary[] }>(engine, 'GET', '/api/profiles?q=user-3')
    const one = sample.profiles.find((p) => p.userId === 'user-3')
    const sampleOk = one !== undefined && one.identities === 4
    if (!sampleOk) fail(`user-3's profile: ${JSON.stringify(one)} (expected 4 identities: user id, email, two devices)`)
    stopped = true
    const { exit, stderr } = await engine.stop()
    if (stderr.trim()) problems.push(`rebuild engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`rebuild engine exited with ${exit} on SIGTERM`)
    return { seedSeconds, indexSeconds, stored, seconds, engineCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / seconds : null, status, expectedProfiles: expected, sampleOk }
  } finally {
    if (!stopped) await engine.stop()
  }
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!
}

function render(r: IdentityBenchResult, machine: Array<[string, string]>): string {
  const p95 = percentile(r.page.pageMs, 95)
  const rb = r.rebuild
  const lines = [
    `## Identity — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `**Ingest with identity resolution on vs off.** One \`loupe serve\`, one source, the standard backend batch load (\`bench/payloads.ts\`, tracks of 50,000 users); ` +
      `resolution switched between runs with \`PUT /api/identity/settings\` (A: \`{"enabled": false}\`, B: \`{"enabled": true}\`). ` +
      `Every measured run: autocannon, ${CONNECTIONS} connections, the same number of \`/v1/batch\` requests (sized to ~${MEASURE_SECONDS} s), in the order ${ORDER.join(' ')} after a ${WARMUP_SECONDS} s warm-up of each. ` +
      'The consumer gives way to ingest during a burst; after each B run its catch-up is awaited and timed.',
    '',
    '| Run | Identity | events/s | p50 | p99 | stored = acked | engine CPU | consumer caught up after |',
    '|---:|---|---:|---:|---:|---|---:|---:|'
  ]
  r.runs.forEach((run, i) => {
    lines.push(
      `| ${i + 1} | ${run.mode === 'A' ? 'A, off' : 'B, on'} | ${int(run.acked / run.load.seconds)} | ${ms(run.load.latencyMs.p50)} | ${ms(run.load.latencyMs.p99)} | ` +
        `${run.stored === run.acked ? 'yes' : '**NO**'}: ${int(run.stored)} / ${int(run.acked)} | ${pct(run.engineCpu)} | ${run.catchUpSeconds === null ? '–' : `${run.catchUpSeconds.toFixed(1)} s`} |`
    )
  })
  lines.push(
    '',
    `B ÷ A for each pair of neighbouring runs: ${r.pairRatios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}; median ${(r.ratio * 100).toFixed(1)} % (the result). ` +
      `Over all runs: A ${int(r.perSec.A)} events/s, B ${int(r.perSec.B)} events/s.`,
    '',
    `**Profile page.** One user with ${int(r.page.events)} events over ${r.page.identities} identities (user id, email, two devices); the page's API calls ` +
      `(\`GET /api/profiles/:id\`, then \`GET /api/profiles/:id/events?limit=50\`) ${PAGE_LOADS} times in a row: ` +
      `profile p50 ${ms(percentile(r.page.detailMs, 50))} / p95 ${ms(percentile(r.page.detailMs, 95))}, timeline p50 ${ms(percentile(r.page.eventsMs, 50))} / p95 ${ms(percentile(r.page.eventsMs, 95))}, ` +
      `both p50 ${ms(percentile(r.page.pageMs, 50))} / **p95 ${ms(p95)}**.`,
    '',
    `**Rebuild.** ${int(rb.stored)} web events of ${int(PEOPLE)} people (anonymous on two devices, a third log in, identifies with an email trait) stored with resolution off ` +
      `(${rb.seedSeconds.toFixed(1)} s; the search indexer, which shares the store thread, then caught up in ${rb.indexSeconds.toFixed(1)} s), then \`PUT /api/identity/settings {"enabled": true, "rebuild": true}\` until the consumer caught up: **${rb.seconds.toFixed(1)} s** ` +
      `(${int(rb.stored / rb.seconds)} events/s, engine CPU ${pct(rb.engineCpu)}). Result: ${int(rb.status.profiles)} profiles (the generator's count: ${int(rb.expectedProfiles)}), ` +
      `${int(rb.status.identities)} identities, ${int(rb.status.merges)} merges; a logged-in person's profile holds user id, email and both devices: ${rb.sampleOk ? 'yes' : '**no**'}.`,
    '',
    '| Target | Goal | Measured | |',
    '|---|---|---|---|',
    `| Batch ingest with identity resolution on vs off (same run, median of pairs) | ≥ ${IDENTITY_TARGETS.onVsOff * 100} % | ${(r.ratio * 100).toFixed(1)} % | ${r.ratio >= IDENTITY_TARGETS.onVsOff ? 'met' : '**missed**'} |`,
    `| Profile page of a user with ${int(HEAVY_EVENTS)} events (API), p95 | ≤ ${IDENTITY_TARGETS.profilePageP95Ms} ms | ${ms(p95)} | ${p95 <= IDENTITY_TARGETS.profilePageP95Ms ? 'met' : '**missed**'} |`,
    `| Graph rebuild over ${int(HISTORY_EVENTS)} events | ≤ ${IDENTITY_TARGETS.rebuildSeconds} s | ${rb.seconds.toFixed(1)} s | ${rb.seconds <= IDENTITY_TARGETS.rebuildSeconds ? 'met' : '**missed**'} |`,
    '',
    '**Problems seen:** ' + (r.problems.length === 0 ? 'none (counts match; the graph matches the generator).' : '')
  )
  for (const problem of r.problems) lines.push(`- ${problem}`)
  lines.push('', '**Machine:**', '')
  for (const [key, value] of machine) lines.push(`- ${key}: ${value}`)
  lines.push(`- load average after the run: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`)
  return lines.join('\n')
}
