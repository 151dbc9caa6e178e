// `npm run bench`: the tracking API's throughput, latency and memory against a no-op fastify ceiling, each
// server in its own process and the load generator (autocannon) in another. Every scenario warms up for a
// few seconds, then sends a fixed number of requests sized to take about MEASURE_SECONDS and waits for every
// answer, so the events Loupe acknowledged can be compared exactly with the events it stored.
// Prints a table and rewrites the "latest run" section of bench/RESULTS.md. Exit code 1 = the benchmark
// could not run or acknowledged events went missing; missed performance targets are reported, not fatal.

import { loadavg } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ensureBuilt } from './build'
import { cpuSeconds } from './cpu-time'
import { killStartedChildren } from './children'
import { admin, createDestination, createSource, deliveryTargets, runDelivery, startReceiver, type Receiver } from './delivery'
import type { LoadResult } from './load'
import { runLoad } from './load-runner'
import { BATCH_SIZE, type BodyKind } from './payloads'
import { runLiveView } from './live-view'
import { runQueryLatency } from './query-latency'
import { machineNotes, renderReport, writeLatestRun, type Report, type ScenarioRow, type TargetCheck } from './results-md'
import { sampleRss } from './rss'
import { runWaitFor } from './wait-for'
import { runImportBench } from './import'
import { runPlansBench } from './plans'
import { runPrivacyBench } from './privacy'
import { runIdentityBench } from './identity'
import { runStorageBench, storageBroken } from './storage'
import { removeLeftoverDataDirs, startCeiling, startEngine, type EngineTarget, type Target } from './targets'
import { settledCount } from './paired-runs'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CONNECTIONS = 32
const WARMUP_SECONDS = 3
const MEASURE_SECONDS = 10
const WRITE_KEY = 'wk_bench'
const TARGETS = { batchEventsPerSec: 100_000, singleVsCeiling: 0.6, rssBytes: 250 * 1024 ** 2, batchWithDestinationsVsAlone: 0.8 }
const DESTINATIONS = 3
const DRAIN_LIMIT_SECONDS = 120

interface Scenario {
  name: string
  server: 'ceiling' | 'loupe'
  kind: BodyKind
  path: string
  /** Active webhook destinations (batched, to a loopback receiver) connected to the source being written. */
  destinations?: number
}

const SCENARIOS: Scenario[] = [
  { name: 'Ceiling: no-op fastify, single event', server: 'ceiling', kind: 'single', path: '/v1/track' },
  { name: `Ceiling: no-op fastify, batch of ${BATCH_SIZE}`, server: 'ceiling', kind: 'batch', path: '/v1/batch' },
  { name: 'Loupe: single event', server: 'loupe', kind: 'single', path: '/v1/track' },
  { name: `Loupe: batch of ${BATCH_SIZE}`, server: 'loupe', kind: 'batch', path: '/v1/batch' },
  { name: `Loupe: batch of ${BATCH_SIZE}, ${DESTINATIONS} webhook destinations`, server: 'loupe', kind: 'batch', path: '/v1/batch', destinations: DESTINATIONS }
]

async function main(): Promise<number> {
  ensureBuilt(ROOT)
  const resultsFile = join(ROOT, 'bench', 'RESULTS.md')
  const machine = machineNotes(ROOT, loadBefore)
  if (process.argv.includes('--delivery-only')) return deliveryExitCode(await runDelivery(ROOT, resultsFile, machine))
  if (process.argv.includes('--wait-for-only')) return (await runWaitFor(ROOT, resultsFile)).wrong.length > 0 ? 1 : 0
  if (process.argv.includes('--import-only')) return (await runImportBench(ROOT, resultsFile)).job.status === 'done' ? 0 : 1
  if (process.argv.includes('--plans-only')) return (await runPlansBench(ROOT, resultsFile, machine)).broken ? 1 : 0
  if (process.argv.includes('--privacy-only')) return (await runPrivacyBench(ROOT, resultsFile, machine)).broken ? 1 : 0
  if (process.argv.includes('--identity-only')) return (await runIdentityBench(ROOT, resultsFile, machine)).broken ? 1 : 0
  if (process.argv.includes('--storage-only')) return storageBroken(await runStorageBench(ROOT, resultsFile, machine)) ? 1 : 0
  const problems: string[] = []
  const notes: string[] = []
  const rows: ScenarioRow[] = []
  for (const scenario of SCENARIOS) {
    process.stdout.write(`\n▸ ${scenario.name} (${scenario.path}): ${WARMUP_SECONDS} s warm-up, then ~${MEASURE_SECONDS} s measured …\n`)
    const row = await runScenario(scenario, problems, notes)
    const ceiling = rows.find((r) => r.path === scenario.path && r.name.startsWith('Ceiling'))
    if (scenario.server === 'loupe' && ceiling) row.vsCeiling = row.reqPerSec / ceiling.reqPerSec
    rows.push(row)
    process.stdout.write(
      `  ${Math.round(row.reqPerSec)} req/s, ${Math.round(row.eventsPerSec)} events/s, p50 ${row.p50Ms.toFixed(2)} ms, ` +
        `p99 ${row.p99Ms.toFixed(2)} ms, peak RSS ${(row.peakRssBytes / 1024 ** 2).toFixed(0)} MB` +
        `, CPU server ${row.serverCpu === null ? '?' : Math.round(row.serverCpu * 100)} % / load gen ${Math.round(row.loadCpu * 100)} %` +
        (row.count ? `, stored ${row.count.stored} / acked ${row.count.acked}, index lag ${row.indexPending}` : '') +
        '\n'
    )
  }

  const report: Report = {
    date: new Date(),
    machine,
    settings: [
      `autocannon ${CONNECTIONS} connections, no pipelining; ${WARMUP_SECONDS} s warm-up, then a fixed request count sized to ~${MEASURE_SECONDS} s from the warm-up rate, every answer awaited`,
      `bodies shaped like @segment/analytics-node 3.1.0 (track, properties, context.library, userId, timestamp, _metadata), a unique \`node-next-<ms>-<uuid>\` messageId per event; HTTP Basic write key \`${WRITE_KEY}\``,
      `each server in its own process, fresh for every scenario; Loupe = \`loupe serve --port 0 --data-dir <tmp> --max-events 0\` (defaults otherwise: durability normal), retention off so the counts compare`,
      'latency = time to the complete answer of each 2xx request, measured in the load generator; peak RSS = max of VmRSS samples every 100 ms and VmHWM',
      'stored = growth of `events.total` in `GET /api/stats` over the measured run; acked = 2xx answers × events per request',
      'CPU = CPU time of the server / the load generator over the measured run ÷ its wall time (100 % = one core busy)',
      'search index lag = `searchIndex.pending` in `GET /api/stats` right after the last answer (events stored but not yet searchable)',
      `"${DESTINATIONS} webhook destinations": the write key's source created first (\`POST /api/sources\`) with ${DESTINATIONS} enabled webhook destinations connected (batches of 100, 1 request in flight), each POSTing to a loopback receiver process (\`bench/noop-server.ts --receiver\`, counts and answers 200) on the same cores; delivery runs while the load runs, and after it the run waits (up to ${DRAIN_LIMIT_SECONDS} s) for the destinations to catch up — that wait counts in this row's peak RSS`
    ],
    rows,
    targets: targetChecks(rows),
    problems,
    notes
  }
  const markdown = renderReport(report)
  process.stdout.write(`\n${markdown}\n`)
  writeLatestRun(resultsFile, markdown)
  let deliveryCode = 0
  if (!process.argv.includes('--ingest-only')) {
    deliveryCode = deliveryExitCode(await runDelivery(ROOT, resultsFile, machine))
    await runQueryLatency(ROOT, resultsFile)
    await runLiveView(ROOT, resultsFile)
    if ((await runWaitFor(ROOT, resultsFile)).wrong.length > 0) deliveryCode = 1
    await runImportBench(ROOT, resultsFile)
    if ((await runPlansBench(ROOT, resultsFile, machine)).broken) deliveryCode = 1
    if ((await runPrivacyBench(ROOT, resultsFile, machine)).broken) deliveryCode = 1
    if (storageBroken(await runStorageBench(ROOT, resultsFile, machine))) deliveryCode = 1
    if ((await runIdentityBench(ROOT, resultsFile, machine)).broken) deliveryCode = 1
  }
  process.stdout.write('\nWrote bench/RESULTS.md\n')
  return rows.some((r) => r.count && r.count.stored !== r.count.acked) ? 1 : deliveryCode
}

/** Like an acknowledged event that was not stored, an event left undelivered or failed makes the run fail. */
function deliveryExitCode(result: Awaited<ReturnType<typeof runDelivery>>): number {
  for (const t of deliveryTargets(result.rows)) process.stdout.write(`  target ${t.label}: ${t.goal}, measured ${t.actual} — ${t.met ? 'met' : 'MISSED'}\n`)
  if (!process.env.BENCH_DELIVERY) process.stdout.write('\nWrote the delivery section of bench/RESULTS.md\n')
  return result.rows.some((r) => r.pending > 0 || r.failed > 0) ? 1 : 0
}

async function runScenario(scenario: Scenario, problems: string[], notes: string[]): Promise<ScenarioRow> {
  const engine: EngineTarget | null = scenario.server === 'loupe' ? await startEngine(ROOT) : null
  const target: Target = engine ?? (await startCeiling(ROOT, scenario.path))
  const receiver = engine && scenario.destinations ? await startReceiver(ROOT) : null
  const destinationIds = engine && receiver ? await connectDestinations(engine, receiver, scenario.destinations!) : []
  const rss = sampleRss(target.pid)
  let stopped = false
  try {
    const load = { url: `${target.baseUrl}${scenario.path}`, path: scenario.path, kind: scenario.kind, writeKey: WRITE_KEY, connections: CONNECTIONS }
    const warmup = await runLoad(ROOT, { ...load, durationSeconds: WARMUP_SECONDS, maxSeconds: WARMUP_SECONDS + 5 })
    if (warmup.ok === 0) throw new Error(`no 2xx answer during the warm-up: ${JSON.stringify(warmup.statusCodes)} (${warmup.errors} errors)`)
    const before = engine ? await settledCount(engine) : 0
    const amount = Math.max(CONNECTIONS * 20, Math.round((warmup.ok / warmup.seconds) * MEASURE_SECONDS))
    const cpuBefore = cpuSeconds(target.pid)
    const measured = await runLoad(ROOT, { ...load, amount, maxSeconds: MEASURE_SECONDS * 3 })
    const cpuAfter = cpuSeconds(target.pid)
    const serverCpu = cpuBefore !== null && cpuAfter !== null ? (cpuAfter - cpuBefore) / measured.seconds : null
    const after = engine ? await engine.stats() : null
    const count = after ? { acked: measured.ok * measured.eventsPerRequest, stored: after.stored - before } : null
    if (engine && receiver) notes.push(await drainNote(scenario, engine, receiver, destinationIds, problems))
    const peakRssBytes = rss.stop()
    stopped = true
    const { stderr, exit } = await target.stop()
    noteProblems(scenario, measured, count, stderr, exit, problems)
    return { ...toRow(scenario, measured, count, peakRssBytes), indexPending: after?.indexPending ?? null, serverCpu }
  } finally {
    if (!stopped) {
      rss.stop()
      await target.stop()
    }
    await receiver?.stop()
  }
}

/** Webhook destinations (batches of 100, one request in flight: the defaults) for the bench write key's source. */
async function connectDestinations(engine: EngineTarget, receiver: Receiver, count: number): Promise<number[]> {
  const sourceId = await createSource(engine, 'Bench', WRITE_KEY)
  const ids: number[] = []
  for (let i = 1; i <= count; i++) {
    ids.push(
      await createDestination(engine, {
        name: `Bench webhook ${i}`,
        kind: 'webhook',
        settings: { url: `${receiver.baseUrl}/hook-${i}`, batch: true, batchSize: 100 },
        enabled: true,
        sourceIds: [sourceId],
        maxInFlight: 1
      })
    )
  }
  return ids
}

/** How far the destinations were behind when the load stopped, and how long they took to catch up. */
async function drainNote(scenario: Scenario, engine: EngineTarget, receiver: Receiver, ids: number[], problems: string[]): Promise<string> {
  type Status = { cursor: number; pending: number; failed: number }
  const statuses = async (): Promise<Status[]> => Promise.all(ids.map(async (id) => (await admin<{ status: Status }>(engine, 'GET', `/api/destinations/${id}`)).status))
  // A fresh engine numbers events from 1, so the newest id is the number stored and a cursor the number delivered.
  const newest = Number((await admin<{ events: { id: string }[] }>(engine, 'GET', '/api/events?limit=1')).events[0]?.id ?? 0)
  const delivered = (await statuses()).map((s) => s.cursor)
  const started = performance.now()
  let now = await statuses()
  while (now.some((s) => s.pending > 0) && performance.now() - started < DRAIN_LIMIT_SECONDS * 1000) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    now = await statuses()
  }
  const drained = (performance.now() - started) / 1000
  const received = await receiver.count()
  const left = now.reduce((n, s) => n + s.pending, 0)
  const failed = now.reduce((n, s) => n + s.failed, 0)
  if (failed > 0) problems.push(`${scenario.name}: ${failed} events failed at the destinations`)
  const int = (n: number) => n.toLocaleString('en-US')
  return (
    `${scenario.name}: when the load stopped (warm-up included) ${int(newest)} events were stored and the destinations had delivered ` +
    `${delivered.map(int).join(' / ')} of them (${delivered.map((d) => `${Math.round((100 * d) / Math.max(1, newest))} %`).join(' / ')}); ` +
    `${left === 0 ? `they caught up ${drained.toFixed(1)} s later` : `${DRAIN_LIMIT_SECONDS} s later they had delivered ${now.map((s) => int(s.cursor)).join(' / ')} (the wait stops there)`} ` +
    `while the search index caught up too; ` +
    `the receiver got ${int(received.events)} events in ${int(received.requests)} requests`
  )
}


function toRow(scenario: Scenario, load: LoadResult, count: ScenarioRow['count'], peakRssBytes: number): ScenarioRow {
  const reqPerSec = load.ok / load.seconds
  return {
    name: scenario.name,
    path: scenario.path,
    reqPerSec,
    eventsPerSec: reqPerSec * load.eventsPerRequest,
    p50Ms: load.latencyMs.p50,
    p99Ms: load.latencyMs.p99,
    vsCeiling: null,
    ok: load.ok,
    non2xx: load.non2xx,
    errors: load.errors,
    statusCodes: load.statusCodes,
    seconds: load.seconds,
    peakRssBytes,
    count,
    indexPending: null,
    serverCpu: null,
    loadCpu: load.cpuSeconds / load.seconds
  }
}

function noteProblems(
  scenario: Scenario,
  load: LoadResult,
  count: ScenarioRow['count'],
  stderr: string,
  exit: number | string,
  problems: string[]
): void {
  const name = scenario.name
  if (load.non2xx > 0) problems.push(`${name}: ${load.non2xx} non-2xx answers ${JSON.stringify(load.statusCodes)}`)
  if (load.errors > 0) problems.push(`${name}: ${load.errors} connection errors / timeouts (${load.timeouts} timeouts)`)
  if (load.stoppedEarly) problems.push(`${name}: the measured run hit its time limit and was cut off`)
  if (count && count.stored !== count.acked) {
    problems.push(`${name}: the engine stored ${count.stored} events but acknowledged ${count.acked} with 2xx (difference ${count.stored - count.acked})`)
  }
  if (stderr.trim()) problems.push(`${name}: the server wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
  if (exit !== 0) problems.push(`${name}: the server exited with ${exit} on SIGTERM`)
}

function targetChecks(rows: ScenarioRow[]): TargetCheck[] {
  const single = rows.find((r) => r.path === '/v1/track' && r.count !== null)
  const batch = rows.find((r) => r.path === '/v1/batch' && r.count !== null && !r.name.includes('destinations'))
  const withDestinations = rows.find((r) => r.path === '/v1/batch' && r.name.includes('destinations'))
  const ratio = batch && withDestinations ? withDestinations.eventsPerSec / batch.eventsPerSec : 0
  const peak = rows.filter((r) => r.count !== null).reduce<ScenarioRow | null>((top, r) => (top && top.peakRssBytes >= r.peakRssBytes ? top : r), null)
  const rss = peak?.peakRssBytes ?? 0
  return [
    {
      label: 'Batch ingest',
      goal: `≥ ${TARGETS.batchEventsPerSec.toLocaleString('en-US')} events/s`,
      actual: `${Math.round(batch?.eventsPerSec ?? 0).toLocaleString('en-US')} events/s`,
      met: (batch?.eventsPerSec ?? 0) >= TARGETS.batchEventsPerSec
    },
    {
      label: `Batch ingest with ${DESTINATIONS} active webhook destinations vs alone`,
      goal: `≥ ${TARGETS.batchWithDestinationsVsAlone * 100} %`,
      actual: `${(ratio * 100).toFixed(1)} % (${Math.round(withDestinations?.eventsPerSec ?? 0).toLocaleString('en-US')} events/s)`,
      met: ratio >= TARGETS.batchWithDestinationsVsAlone
    },
    {
      label: 'Single-event req/s vs ceiling',
      goal: `≥ ${TARGETS.singleVsCeiling * 100} %`,
      actual: `${((single?.vsCeiling ?? 0) * 100).toFixed(1)} %`,
      met: (single?.vsCeiling ?? 0) >= TARGETS.singleVsCeiling
    },
    {
      label: 'Engine peak RSS',
      goal: `≤ ${TARGETS.rssBytes / 1024 ** 2} MB`,
      actual: `${(rss / 1024 ** 2).toFixed(0)} MB (${peak?.name ?? '—'})`,
      met: rss <= TARGETS.rssBytes
    }
  ]
}

const loadBefore = loadavg()

function onSignal(signal: NodeJS.Signals): void {
  process.stderr.write(`\n${signal}: stopping the processes the benchmark started\n`)
  killStartedChildren()
  removeLeftoverDataDirs()
  process.exit(130)
}
process.once('SIGINT', onSignal)
process.once('SIGTERM', onSignal)
process.once('exit', killStartedChildren)

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`)
    killStartedChildren()
    removeLeftoverDataDirs()
    process.exitCode = 1
  }
)
