// Delivery throughput: how fast the engine empties a destination's backlog. For each scenario a fresh
// `loupe serve` stores N events for a source whose destination exists but is disabled; the clock starts
// when the destination is enabled (PATCH) and stops when the receiver has counted every event (webhook) and
// the destination's delivery log has recorded the last event id. HTTP destinations send to a loopback
// receiver process (bench/noop-server.ts --receiver); Action destinations reach it through
// LOUPE_ACTIONS_REDIRECT. The baseline, measured in the same run, is that receiver taking the same request
// bodies from a plain fetch() client, one at a time and 4 at once: what any sender could reach here.
// BENCH_CPU_PROF=<dir> runs the engines with --cpu-prof (one .cpuprofile per engine thread, written on exit).

import { defaultLimits } from '../src-shared/default-limits'
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import type { Destination, DeliveryAttemptsPage, Source } from '../src-shared/api'
import { cpuSeconds } from './cpu-time'
import { createBodyFactory } from './payloads'
import { writeSection } from './results-md'
import { startCeiling, startEngine, tempDir, type EngineTarget, type Target } from './targets'
import { pct } from './results-md'

export const DELIVERY_START = '<!-- delivery:start (written by `npm run bench`) -->'
export const DELIVERY_END = '<!-- delivery:end -->'

export const DELIVERY_TARGETS = { webhookEventsPerSec: 20_000, actionsEventsPerSec: 2_000, fileEventsPerSec: 100_000 }
const WEBHOOK_EVENTS = 100_000
const ACTIONS_EVENTS = 20_000
const FILE_EVENTS = 100_000
const INGEST_SENDERS = 4
const POLL_MS = 25
const BASELINE_MAX_SECONDS = 8
const WRITE_KEY = 'wk_delivery_bench'

// ---- the receiver ------------------------------------------------------------------------------------

export interface ReceiverCount {
  requests: number
  events: number
  paths: Record<string, number>
}

export interface Receiver extends Target {
  count(): Promise<ReceiverCount>
  reset(): Promise<void>
  /** The received body holding the most events, and how many. */
  sample(): Promise<{ body: Buffer; events: number }>
}

export async function startReceiver(root: string): Promise<Receiver> {
  const target = await startCeiling(root, '--receiver')
  return {
    ...target,
    async count() {
      return (await (await fetch(`${target.baseUrl}/count`)).json()) as ReceiverCount
    },
    async reset() {
      await fetch(`${target.baseUrl}/count`, { method: 'DELETE' })
    },
    async sample() {
      const res = await fetch(`${target.baseUrl}/sample`)
      if (!res.ok) throw new Error(`the receiver has no sample body: ${res.status}`)
      return { body: Buffer.from(await res.arrayBuffer()), events: Number(res.headers.get('x-events')) }
    }
  }
}

// ---- the admin API, as any client calls it ----------------------------------------------------------

export async function admin<T>(engine: EngineTarget, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${engine.baseUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${engine.token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await res.text()
  if (!res.ok) throw new Error(`${method} ${path} answered ${res.status}: ${text}`)
  return JSON.parse(text) as T
}

export async function createSource(engine: EngineTarget, name: string, writeKey: string): Promise<number> {
  return (await admin<Source>(engine, 'POST', '/api/sources', { name, writeKey })).id
}

export interface DestinationSpec {
  name: string
  kind: Destination['kind']
  settings: Record<string, unknown>
  enabled: boolean
  sourceIds: number[]
  maxInFlight: number
}

export async function createDestination(engine: EngineTarget, spec: DestinationSpec): Promise<number> {
  const { maxInFlight, ...rest } = spec
  return (await admin<Destination>(engine, 'POST', '/api/destinations', { ...rest, limits: { maxInFlight, eventsPerSecond: null } })).id
}

// ---- one scenario ------------------------------------------------------------------------------------

export interface DeliveryRow {
  name: string
  kind: Destination['kind']
  events: number
  /** Events per request as configured (the driver's batch size). */
  batchSize: number
  maxInFlight: number
  seconds: number
  eventsPerSec: number
  /** Requests the receiver counted (null for the file destination). */
  requests: number | null
  /** Events the receiver counted (an Action may turn one event into several, or none). */
  received: number | null
  paths: string
  engineCpu: number | null
  receiverCpu: number | null
  pending: number
  failed: number
  /** Plain-client requests/s with the same body and as many in flight; null where not comparable (file). */
  baselineRequestsPerSec: number | null
  note: string
}

interface Scenario {
  name: string
  kind: Destination['kind']
  events: number
  batchSize: number
  maxInFlight: number
  settings(receiver: Receiver, folder: string): Record<string, unknown>
}

/** Stores `total` events for `writeKey` through /v1/batch (100 per request), `INGEST_SENDERS` at once. */
export async function ingest(engine: EngineTarget, writeKey: string, total: number): Promise<void> {
  const bodies = createBodyFactory('batch', writeKey)
  const auth = `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`
  let remaining = Math.ceil(total / bodies.eventsPerRequest)
  const sender = async (): Promise<void> => {
    while (remaining-- > 0) {
      const res = await fetch(`${engine.baseUrl}/v1/batch`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: bodies.next() })
      if (res.status !== 200) throw new Error(`/v1/batch answered ${res.status}: ${await res.text()}`)
      await res.arrayBuffer()
    }
  }
  await Promise.all(Array.from({ length: INGEST_SENDERS }, sender))
}

async function runScenario(root: string, scenario: Scenario, receiver: Receiver, problems: string[]): Promise<DeliveryRow> {
  process.stdout.write(`\n▸ Delivery: ${scenario.name} — ${scenario.events.toLocaleString('en-US')} events …\n`)
  const profileDir = process.env.BENCH_CPU_PROF
  const engine = await startEngine(root, {
    env: { LOUPE_ACTIONS_REDIRECT: receiver.baseUrl },
    nodeArgs: profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, `${scenario.kind}-${scenario.batchSize}-${scenario.maxInFlight}`)}`] : []
  })
  const archive = tempDir('loupe-bench-archive-')
  const folder = archive.path
  try {
    await receiver.reset()
    const sourceId = await createSource(engine, 'Delivery bench', WRITE_KEY)
    const id = await createDestination(engine, {
      name: scenario.name,
      kind: scenario.kind,
      settings: scenario.settings(receiver, folder),
      enabled: false,
      sourceIds: [sourceId],
      maxInFlight: scenario.maxInFlight
    })
    await ingest(engine, WRITE_KEY, scenario.events)
    const { stored } = await engine.stats()
    if (stored !== scenario.events) throw new Error(`${scenario.name}: stored ${stored} events, expected ${scenario.events}`)
    const newest = await admin<{ events: { id: string }[] }>(engine, 'GET', '/api/events?limit=1')
    const lastId = Number(newest.events[0]!.id)
    // The search indexer competes with delivery for the engine's CPU: let it finish first, so the clock
    // measures delivery alone (the ingest table's "with destinations" scenario measures them together).
    await waitForIndex(engine)
    const before = await admin<Destination>(engine, 'GET', `/api/destinations/${id}`)
    if (before.status.pending !== scenario.events) problems.push(`${scenario.name}: ${before.status.pending} events pending before enabling, expected ${scenario.events}`)

    const engineCpu0 = cpuSeconds(engine.pid)
    const receiverCpu0 = cpuSeconds(receiver.pid)
    const started = performance.now()
    await admin(engine, 'PATCH', `/api/destinations/${id}`, { enabled: true })
    const deadline = started + Math.max(120_000, (scenario.events / 200) * 1000)
    let timedOut = false
    for (;;) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      if (performance.now() > deadline) {
        timedOut = true
        break
      }
      if (scenario.kind === 'webhook' && (await receiver.count()).events < scenario.events) continue
      const page = await admin<DeliveryAttemptsPage>(engine, 'GET', `/api/destinations/${id}/attempts?limit=1`)
      if (Number(page.attempts[0]?.lastEventId ?? 0) >= lastId) break
    }
    const seconds = (performance.now() - started) / 1000
    const engineCpu1 = cpuSeconds(engine.pid)
    const receiverCpu1 = cpuSeconds(receiver.pid)
    const after = await admin<Destination>(engine, 'GET', `/api/destinations/${id}`)
    const delivered = scenario.events - after.status.pending
    const count = scenario.kind === 'file' ? null : await receiver.count()
    if (timedOut) problems.push(`${scenario.name}: stopped after ${seconds.toFixed(0)} s with ${after.status.pending} events still pending; events/s counts the ${delivered} delivered`)
    if (after.status.failed > 0) problems.push(`${scenario.name}: ${after.status.failed} events failed (${after.status.lastError ?? 'no error recorded'})`)
    if (scenario.kind === 'webhook' && count && count.events !== scenario.events) problems.push(`${scenario.name}: the receiver counted ${count.events} events, expected ${scenario.events} (at-least-once: a retry sends again)`)
    const share = (a: number | null, b: number | null) => (a !== null && b !== null ? (b - a) / seconds : null)
    const row: DeliveryRow = {
      name: scenario.name,
      kind: scenario.kind,
      events: scenario.events,
      batchSize: scenario.batchSize,
      maxInFlight: scenario.maxInFlight,
      seconds,
      eventsPerSec: delivered / seconds,
      requests: count?.requests ?? null,
      received: count?.events ?? null,
      paths: count ? Object.entries(count.paths).map(([p, n]) => `\`${p}\` ×${n.toLocaleString('en-US')}`).join(', ') : archiveSummary(folder),
      engineCpu: share(engineCpu0, engineCpu1),
      receiverCpu: scenario.kind === 'file' ? null : share(receiverCpu0, receiverCpu1),
      pending: after.status.pending,
      failed: after.status.failed,
      baselineRequestsPerSec: null,
      note: ''
    }
    process.stdout.write(
      `  ${Math.round(row.eventsPerSec).toLocaleString('en-US')} events/s in ${seconds.toFixed(2)} s` +
        (row.requests !== null ? `, ${row.requests.toLocaleString('en-US')} requests (${row.received} events) ${row.paths}` : `, ${row.paths}`) +
        `, CPU engine ${pct(row.engineCpu)} / receiver ${pct(row.receiverCpu)}\n`
    )
    const { stderr, exit } = await engine.stop()
    if (stderr.trim()) problems.push(`${scenario.name}: the engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`${scenario.name}: the engine exited with ${exit} on SIGTERM`)
    return row
  } finally {
    await engine.stop()
    archive.remove()
  }
}

async function waitForIndex(engine: EngineTarget): Promise<void> {
  const deadline = performance.now() + 180_000
  while ((await engine.stats()).indexPending > 0) {
    if (performance.now() > deadline) throw new Error('the search index did not catch up within 180 s')
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
}

function archiveSummary(folder: string): string {
  let files = 0
  let bytes = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else {
        files++
        bytes += statSync(path).size
      }
    }
  }
  walk(folder)
  return `${files} file${files === 1 ? '' : 's'}, ${(bytes / 1024 ** 2).toFixed(1)} MB`
}

// ---- the baseline: the receiver fed by a plain client -----------------------------------------------

export interface BaselineRow {
  label: string
  eventsPerRequest: number
  /** Requests/s. */
  sequential: number
  concurrent4: number
}

/** Requests/s the receiver takes `body` at from fetch(), `concurrency` requests at a time. */
async function plainClient(receiver: Receiver, path: string, body: Buffer, requests: number, concurrency: number): Promise<number> {
  let remaining = requests
  let sent = 0
  const started = performance.now()
  const stopAt = started + BASELINE_MAX_SECONDS * 1000
  const worker = async (): Promise<void> => {
    while (remaining-- > 0 && performance.now() < stopAt) {
      const res = await fetch(`${receiver.baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', 'user-agent': 'Loupe' }, body })
      await res.arrayBuffer()
      if (!res.ok) throw new Error(`the receiver answered ${res.status}`)
      sent++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker))
  return sent / ((performance.now() - started) / 1000)
}

async function baseline(receiver: Receiver, label: string, path: string, requests: number): Promise<BaselineRow> {
  const { body, events: eventsPerRequest } = await receiver.sample()
  // A short warm-up so both runs see a warm JIT and open sockets.
  await plainClient(receiver, path, body, Math.min(requests, 50), 4)
  const sequential = await plainClient(receiver, path, body, requests, 1)
  const concurrent4 = await plainClient(receiver, path, body, requests, 4)
  await receiver.reset()
  process.stdout.write(`  baseline, plain fetch() → receiver, ${label} (${eventsPerRequest} events): ${Math.round(sequential).toLocaleString('en-US')} req/s sequential, ${Math.round(concurrent4).toLocaleString('en-US')} req/s 4 at once\n`)
  return { label, eventsPerRequest, sequential, concurrent4 }
}

// ---- the section ---------------------------------------------------------------------------------------

const webhook = (batchSize: number, maxInFlight: number): Scenario => ({
  name: `Webhook, batches of ${batchSize}, ${maxInFlight} in flight`,
  kind: 'webhook',
  events: WEBHOOK_EVENTS,
  batchSize,
  maxInFlight,
  settings: (receiver) => ({ url: `${receiver.baseUrl}/hook`, batch: true, batchSize })
})

const amplitude = (maxInFlight: number): Scenario => ({
  name: `Amplitude (Actions, preset subscriptions), ${maxInFlight} in flight`,
  kind: 'actions',
  events: ACTIONS_EVENTS,
  batchSize: 1,
  maxInFlight,
  settings: () => ({ slug: 'amplitude', settings: { apiKey: 'bench-api-key', secretKey: 'bench-secret-key' } })
})

const FILE_SCENARIO: Scenario = {
  name: 'File archive (gzip, partitioned by source and day)',
  kind: 'file',
  events: FILE_EVENTS,
  batchSize: 1000,
  maxInFlight: defaultLimits('file').maxInFlight,
  settings: (_receiver, folder) => ({ folder })
}

export interface DeliveryResult {
  rows: DeliveryRow[]
  baselines: BaselineRow[]
  problems: string[]
}

export async function runDelivery(root: string, file: string, machine: Array<[string, string]>): Promise<DeliveryResult> {
  // BENCH_DELIVERY=webhook,file (kinds) runs part of the section and leaves RESULTS.md alone: for quick iterations.
  const only = process.env.BENCH_DELIVERY?.split(',') ?? null
  const wanted = (kind: string) => only === null || only.includes(kind)
  const problems: string[] = []
  const rows: DeliveryRow[] = []
  const baselines: BaselineRow[] = []
  const receiver = await startReceiver(root)
  try {
    for (const batchSize of wanted('webhook') ? [100, 1000] : []) {
      const group: DeliveryRow[] = []
      for (const maxInFlight of [1, 4]) group.push(await runScenario(root, webhook(batchSize, maxInFlight), receiver, problems))
      // The last run left the largest body it sent in the receiver: the plain client sends that one.
      const base = await baseline(receiver, `webhook batch of ${batchSize}`, '/hook', WEBHOOK_EVENTS / batchSize)
      for (const row of group) row.baselineRequestsPerSec = row.maxInFlight === 1 ? base.sequential : base.concurrent4
      baselines.push(base)
      rows.push(...group)
    }
    if (wanted('actions')) {
      const actions: DeliveryRow[] = []
      for (const maxInFlight of [1, 4, 16]) actions.push(await runScenario(root, amplitude(maxInFlight), receiver, problems))
      const path = Object.keys((await receiver.count()).paths)[0] ?? '/2/httpapi'
      const base = await baseline(receiver, `Amplitude request (\`${path}\`)`, path, actions[actions.length - 1]!.requests ?? ACTIONS_EVENTS)
      for (const row of actions) row.baselineRequestsPerSec = row.maxInFlight === 1 ? base.sequential : row.maxInFlight === 4 ? base.concurrent4 : null
      baselines.push(base)
      rows.push(...actions)
    }
    if (wanted('file')) rows.push(await runScenario(root, FILE_SCENARIO, receiver, problems))
  } finally {
    await receiver.stop()
  }
  const result = { rows, baselines, problems }
  if (only === null) writeSection(file, DELIVERY_START, DELIVERY_END, renderDelivery(result, machine))
  return result
}

export function deliveryTargets(rows: DeliveryRow[]): { label: string; goal: string; actual: string; met: boolean }[] {
  const check = (row: DeliveryRow, goal: number) => ({
    label: row.name,
    goal: `≥ ${goal.toLocaleString('en-US')} events/s`,
    actual: `${Math.round(row.eventsPerSec).toLocaleString('en-US')} events/s`,
    met: row.eventsPerSec >= goal
  })
  return rows.map((row) =>
    check(row, row.kind === 'webhook' ? DELIVERY_TARGETS.webhookEventsPerSec : row.kind === 'actions' ? DELIVERY_TARGETS.actionsEventsPerSec : DELIVERY_TARGETS.fileEventsPerSec)
  )
}

function renderDelivery(result: DeliveryResult, machine: Array<[string, string]>): string {
  const lines = [`## Delivery throughput — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`, '']
  lines.push('| Destination | events | events / request | in flight | seconds | events/s | vs plain client | requests received (paths) | CPU engine / receiver | pending / failed after |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|---|---:|---:|')
  for (const r of result.rows) {
    const vs = r.baselineRequestsPerSec && r.requests ? `${((100 * r.requests) / r.seconds / r.baselineRequestsPerSec).toFixed(1)} %` : '—'
    const requests = r.requests === null ? r.paths : `${r.requests.toLocaleString('en-US')} (${r.paths})`
    lines.push(
      `| ${r.name} | ${r.events.toLocaleString('en-US')} | ${r.batchSize} | ${r.maxInFlight} | ${r.seconds.toFixed(2)} | ${Math.round(r.eventsPerSec).toLocaleString('en-US')} | ${vs} | ${requests} | ` +
        `${pct(r.engineCpu)} / ${pct(r.receiverCpu)} | ${r.pending} / ${r.failed} |`
    )
  }
  lines.push('', '**Baseline** — the same receiver fed by a plain `fetch()` client in the benchmark process with a body the engine sent (the one with the most events), one request at a time and 4 at once:', '')
  lines.push('| Body | events / request | sequential req/s (events/s) | 4 at once req/s (events/s) |', '|---|---:|---:|---:|')
  const both = (rps: number, b: BaselineRow) => `${Math.round(rps).toLocaleString('en-US')} (${Math.round(rps * b.eventsPerRequest).toLocaleString('en-US')})`
  for (const b of result.baselines) lines.push(`| ${b.label} | ${b.eventsPerRequest} | ${both(b.sequential, b)} | ${both(b.concurrent4, b)} |`)
  lines.push('', '| Target | Goal | Measured | |', '|---|---|---|---|')
  for (const t of deliveryTargets(result.rows)) lines.push(`| ${t.label} | ${t.goal} | ${t.actual} | ${t.met ? 'met' : '**missed**'} |`)
  lines.push('', '**Problems seen:** ' + (result.problems.length === 0 ? 'none (every event delivered once, none failed).' : ''))
  for (const p of result.problems) lines.push(`- ${p}`)
  lines.push(
    '',
    '**Method:**',
    '',
    `- each scenario: a fresh \`loupe serve\` (as in the ingest table) with \`LOUPE_ACTIONS_REDIRECT\` pointing at the receiver; a source (\`POST /api/sources\`) and one destination connected to it, created disabled; the events stored through \`/v1/batch\` (the analytics-node bodies of the ingest table, 100 per request, ${INGEST_SENDERS} at once); then \`PATCH /api/destinations/:id {enabled:true}\` starts the clock`,
    `- the clock stops when the receiver has counted every event (webhook) and \`GET /api/destinations/:id/attempts?limit=1\` shows the last event id recorded (polled every ${POLL_MS} ms); events/s = events delivered ÷ that time; "pending / failed" is \`status\` right after`,
    '- receiver: fastify 5 in its own process (`bench/noop-server.ts --receiver`), parses every body as JSON, counts `batch` / `events` entries, answers `{"code":200}` to any POST path (Amplitude\'s success answer)',
    '- webhook: `{url, batch: true, batchSize}`; Amplitude: `kind: "actions"`, slug `amplitude` with its preset subscriptions (Track Calls → `logEventV2`, Order Completed → `logPurchase`; a quarter of the bench events are Order Completed); these actions do not batch, so the driver sends one event per send and per request',
    '- file: `{folder}` in a temp dir, defaults otherwise (gzip level 1, 1,000 events per append, fsync per append, partitioned by source and day)',
    `- "vs plain client": the engine's requests/s ÷ the baseline's with as many requests in flight (1 → sequential, 4 → 4 at once); the baseline sends as many requests as the engine did or stops after ${BASELINE_MAX_SECONDS} s`,
    '- before the clock starts the run waits for the search index to catch up (`searchIndex.pending` = 0): the indexer competes for the engine\'s CPU, and here delivery is measured alone',
    '- CPU = CPU time of the engine (all its threads) / the receiver over the delivery ÷ wall time (100 % = one core)',
    '',
    '**Machine:**',
    ''
  )
  for (const [key, value] of machine) lines.push(`- ${key}: ${value}`)
  return lines.join('\n')
}

