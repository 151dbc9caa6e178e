// Tracking plans (issue #5): what validating at ingest costs, and how long a what-if re-validation of history
// takes. Two fresh `loupe serve` processes:
// 1. Ingest: sources A (no plan) and B (connected to a 200-event plan, bench/plan-fixture.ts, that covers the
//    bench bodies' event names; ~8 % of events break it). Same autocannon load on /v1/batch for both, runs in the
//    order A B B A A B B A so a drift over the run (the search index backlog grows) weighs on both alike; each
//    B run is compared with the A run next to it, and the median of those ratios is the result (a burst of
//    other work on a shared machine moves one pair, not the median).
// 2. Re-validation: 1,000,000 events stored for a source with no plan, then POST /api/plans/:id/revalidate
//    over them, timed until the job says done.
// `npm run bench -- --plans-only` runs just this part (~1.5 min). BENCH_CPU_PROF=<dir> runs both engines with
// --cpu-prof (one .cpuprofile per engine thread, written on exit).

import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { EventRecord, EventsPage } from '../src-shared/api'
import type { ViolationsReport } from '../src-shared/enforcement'
import type { RevalidateJob, TrackingPlan } from '../src-shared/plans'
import { cpuSeconds } from './cpu-time'
import { admin, createSource } from './delivery'
import type { LoadConfig, LoadResult } from './load'
import { runLoad } from './load-runner'
import { BENCH_EVENT_NAMES, EXPECTED_VIOLATION_SHARE, PLAN_EVENTS, benchPlanRules } from './plan-fixture'
import { BATCH_SIZE } from './payloads'
import { writeSection } from './results-md'
import { startEngine, type EngineOptions } from './targets'
import { int, ms } from './results-md'
import { pairedSummary, settledCount } from './paired-runs'

export const PLANS_START = '<!-- plans:start (written by `npm run bench`) -->'
export const PLANS_END = '<!-- plans:end -->'

export const PLANS_TARGETS = { withPlanVsWithout: 0.8, revalidateSeconds: 60 }
const CONNECTIONS = 32
const WARMUP_SECONDS = 3
const MEASURE_SECONDS = 5
const ORDER: Array<'A' | 'B'> = ['A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']
const HISTORY_EVENTS = 1_000_000
const REVALIDATE_LIMIT_SECONDS = 180
const POLL_MS = 100
const KEYS = { A: 'wk_plans_bench_a', B: 'wk_plans_bench_b', history: 'wk_plans_bench_history' }

export interface IngestRun {
  source: 'A' | 'B'
  load: LoadResult
  acked: number
  stored: number
  engineCpu: number | null
  indexPending: number
}

export interface PlansBenchResult {
  runs: IngestRun[]
  perSec: { A: number; B: number }
  /** B ÷ A events/s of each pair of neighbouring runs (1–2, 3–4, …). */
  pairRatios: number[]
  /** The median of pairRatios: what the target is checked on. */
  ratio: number
  /** B's stored events, and how many of them the engine counts with violations. */
  bEvents: number
  bWithViolations: number
  sampleViolation: string | null
  aHasViolations: boolean
  seed: { seconds: number; stored: number }
  indexPendingAtStart: number
  revalidate: { seconds: number; engineCpu: number | null; job: RevalidateJob }
  problems: string[]
  /** Problems that make the run fail: counts that do not match, a job that did not finish, validation not seen. */
  broken: boolean
}

export async function runPlansBench(root: string, resultsFile: string, machine: Array<[string, string]>): Promise<PlansBenchResult> {
  const problems: string[] = []
  let broken = false
  const fail = (message: string): void => {
    problems.push(message)
    broken = true
  }
  const profileDir = process.env.BENCH_CPU_PROF
  const options = (name: string): EngineOptions => (profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] } : {})

  process.stdout.write(`\n▸ Tracking plans, ingest: source A without a plan, B with a ${PLAN_EVENTS}-event plan, runs ${ORDER.join(' ')} of ~${MEASURE_SECONDS} s …\n`)
  const ingest = await measureIngest(root, options('plans-ingest'), fail, problems)

  process.stdout.write(`\n▸ Tracking plans, re-validation: ${HISTORY_EVENTS.toLocaleString('en-US')} stored events …\n`)
  const history = await measureRevalidation(root, options('plans-revalidate'), fail, problems)

  const result: PlansBenchResult = { ...ingest, ...history, problems, broken }
  const markdown = render(result, machine)
  process.stdout.write(`\n${markdown}\n`)
  writeSection(resultsFile, PLANS_START, PLANS_END, markdown)
  return result
}

// ---- 1. ingest with and without a plan ---------------------------------------------------------------

type IngestPart = Pick<PlansBenchResult, 'runs' | 'perSec' | 'pairRatios' | 'ratio' | 'bEvents' | 'bWithViolations' | 'sampleViolation' | 'aHasViolations'>

async function measureIngest(root: string, options: EngineOptions, fail: (m: string) => void, problems: string[]): Promise<IngestPart> {
  const engine = await startEngine(root, options)
  let stopped = false
  try {
    const ids = { A: await createSource(engine, 'Plans bench A (no plan)', KEYS.A), B: await createSource(engine, 'Plans bench B (plan)', KEYS.B) }
    await admin<TrackingPlan>(engine, 'POST', '/api/plans', { name: 'Bench plan', rules: benchPlanRules(), sourceIds: [ids.B] })
    const load = (source: 'A' | 'B'): Omit<LoadConfig, 'maxSeconds'> => ({
      url: `${engine.baseUrl}/v1/batch`,
      path: '/v1/batch',
      kind: 'batch',
      writeKey: KEYS[source],
      connections: CONNECTIONS
    })

    // Warm-ups: the engine's JIT, and B's plan compiled on its first request (outside the measured runs).
    let bEvents = 0
    const rates: number[] = []
    for (const source of ['A', 'B'] as const) {
      const before = await settledCount(engine)
      const warmup = await runLoad(root, { ...load(source), durationSeconds: WARMUP_SECONDS, maxSeconds: WARMUP_SECONDS + 5 })
      if (warmup.ok === 0) throw new Error(`no 2xx answer during the warm-up of ${source}: ${JSON.stringify(warmup.statusCodes)} (${warmup.errors} errors)`)
      rates.push(warmup.ok / warmup.seconds)
      if (source === 'B') bEvents += (await settledCount(engine)) - before
    }
    // One request count for every run, so A and B get the same load shape.
    const amount = Math.max(CONNECTIONS * 20, Math.round(Math.min(...rates) * MEASURE_SECONDS))

    const runs: IngestRun[] = []
    for (const source of ORDER) {
      const before = await settledCount(engine)
      const cpu0 = cpuSeconds(engine.pid)
      const measured = await runLoad(root, { ...load(source), amount, maxSeconds: MEASURE_SECONDS * 3 })
      const cpu1 = cpuSeconds(engine.pid)
      const after = await engine.stats()
      const run: IngestRun = {
        source,
        load: measured,
        acked: measured.ok * measured.eventsPerRequest,
        stored: after.stored - before,
        engineCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / measured.seconds : null,
        indexPending: after.indexPending
      }
      runs.push(run)
      if (source === 'B') bEvents += run.stored
      const label = `run ${runs.length} (${source})`
      if (run.stored !== run.acked) fail(`${label}: the engine stored ${run.stored} events but acknowledged ${run.acked} with 2xx`)
      if (measured.non2xx > 0) problems.push(`${label}: ${measured.non2xx} non-2xx answers ${JSON.stringify(measured.statusCodes)}`)
      if (measured.errors > 0) problems.push(`${label}: ${measured.errors} connection errors / timeouts`)
      if (measured.stoppedEarly) problems.push(`${label}: the measured run hit its time limit and was cut off`)
      process.stdout.write(
        `  ${label}: ${int(run.acked / measured.seconds)} events/s, p50 ${measured.latencyMs.p50.toFixed(1)} ms, p99 ${measured.latencyMs.p99.toFixed(1)} ms, ` +
          `stored ${int(run.stored)} / acked ${int(run.acked)}, engine CPU ${run.engineCpu === null ? '?' : `${Math.round(run.engineCpu * 100)} %`}\n`
      )
    }

    const { pairRatios, ratio, perSec } = pairedSummary(runs, (run) => run.source)

    // Validation really ran: B's events carry violations where the plan says so, A's carry none.
    await settledCount(engine)
    const flagged = await admin<EventsPage>(engine, 'GET', `/api/events?source=${ids.B}&violations=1&limit=1`)
    let sampleViolation: string | null = null
    const first = flagged.events[0]
    if (!first) fail('no event of source B has violations: events were not validated at ingest')
    else {
      const record = await admin<EventRecord>(engine, 'GET', `/api/events/${first.id}`)
      const v = record.validation?.violations[0]
      sampleViolation = v ? `${record.name}: ${v.kind} at \`${v.pointer}\` (${v.expected ?? ''}, got ${v.actual ?? 'nothing'})` : null
      if (!v) fail(`event ${first.id} of source B counts violations but its record lists none`)
    }
    const aHasViolations = (await admin<EventsPage>(engine, 'GET', `/api/events?source=${ids.A}&violations=1&limit=1`)).events.length > 0
    if (aHasViolations) fail('source A has no plan, yet some of its events carry violations')
    const report = await admin<ViolationsReport>(engine, 'GET', `/api/violations?source=${ids.B}&range=1h`)
    const bWithViolations = report.eventsWithViolations
    const share = bWithViolations / Math.max(1, bEvents)
    if (Math.abs(share - EXPECTED_VIOLATION_SHARE) > 0.01) {
      problems.push(`source B: ${(share * 100).toFixed(2)} % of its events have violations, expected ≈ ${(EXPECTED_VIOLATION_SHARE * 100).toFixed(2)} %`)
    }

    stopped = true
    const { exit, stderr } = await engine.stop()
    if (stderr.trim()) problems.push(`ingest engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`ingest engine exited with ${exit} on SIGTERM`)
    return { runs, perSec, pairRatios, ratio, bEvents, bWithViolations, sampleViolation, aHasViolations }
  } finally {
    if (!stopped) await engine.stop()
  }
}

// ---- 2. re-validating history ------------------------------------------------------------------------

type HistoryPart = Pick<PlansBenchResult, 'seed' | 'indexPendingAtStart' | 'revalidate'>

async function measureRevalidation(root: string, options: EngineOptions, fail: (m: string) => void, problems: string[]): Promise<HistoryPart> {
  const engine = await startEngine(root, options)
  let stopped = false
  try {
    const sourceId = await createSource(engine, 'Plans bench history', KEYS.history)
    // Not connected: history is stored unvalidated, and the re-validation is the what-if before connecting.
    const plan = await admin<TrackingPlan>(engine, 'POST', '/api/plans', { name: 'Bench plan', rules: benchPlanRules() })

    let started = performance.now()
    const requests = HISTORY_EVENTS / BATCH_SIZE
    const seeded = await runLoad(root, {
      url: `${engine.baseUrl}/v1/batch`,
      path: '/v1/batch',
      kind: 'batch',
      writeKey: KEYS.history,
      connections: CONNECTIONS,
      amount: requests,
      maxSeconds: 150
    })
    const seedSeconds = (performance.now() - started) / 1000
    const stored = await settledCount(engine)
    if (seeded.ok !== requests || stored !== HISTORY_EVENTS) {
      fail(`seeding: ${seeded.ok} of ${requests} requests acknowledged, ${stored} events stored (expected ${HISTORY_EVENTS})`)
    }
    process.stdout.write(`  seeded ${int(stored)} events in ${seedSeconds.toFixed(1)} s (${int(stored / seedSeconds)} events/s)\n`)

    const indexPendingAtStart = (await engine.stats()).indexPending
    const cpu0 = cpuSeconds(engine.pid)
    started = performance.now()
    let job = await admin<RevalidateJob>(engine, 'POST', `/api/plans/${plan.id}/revalidate`, { sourceIds: [sourceId] })
    while (job.state === 'running' && performance.now() - started < REVALIDATE_LIMIT_SECONDS * 1000) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS))
      job = await admin<RevalidateJob>(engine, 'GET', `/api/plans/${plan.id}/revalidate/${job.id}`)
    }
    const seconds = (performance.now() - started) / 1000
    const cpu1 = cpuSeconds(engine.pid)
    if (job.state === 'running') {
      job = await admin<RevalidateJob>(engine, 'DELETE', `/api/plans/${plan.id}/revalidate/${job.id}`)
      fail(`re-validation still running after ${REVALIDATE_LIMIT_SECONDS} s (${int(job.checked)} of ${int(job.total)} checked); cancelled`)
    } else if (job.state !== 'done') fail(`re-validation ended ${job.state}: ${job.error ?? 'no error given'}`)
    else if (job.checked !== stored) fail(`re-validation checked ${job.checked} events of ${stored} stored`)
    const share = job.withViolations / Math.max(1, job.checked)
    if (Math.abs(share - EXPECTED_VIOLATION_SHARE) > 0.01) problems.push(`re-validation: ${(share * 100).toFixed(2)} % with violations, expected ≈ ${(EXPECTED_VIOLATION_SHARE * 100).toFixed(2)} %`)
    process.stdout.write(`  re-validated ${int(job.checked)} events in ${seconds.toFixed(1)} s, ${int(job.withViolations)} with violations\n`)

    stopped = true
    const { exit, stderr } = await engine.stop()
    if (stderr.trim()) problems.push(`re-validation engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`re-validation engine exited with ${exit} on SIGTERM`)
    return {
      seed: { seconds: seedSeconds, stored },
      indexPendingAtStart,
      revalidate: { seconds, engineCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / seconds : null, job }
    }
  } finally {
    if (!stopped) await engine.stop()
  }
}



// ---- the results section -----------------------------------------------------------------------------

function render(r: PlansBenchResult, machine: Array<[string, string]>): string {
  const pct = (x: number | null): string => (x === null ? '—' : `${Math.round(x * 100)} %`)
  const { job } = r.revalidate
  const ingestMet = r.ratio >= PLANS_TARGETS.withPlanVsWithout
  const revalidateMet = job.state === 'done' && r.revalidate.seconds <= PLANS_TARGETS.revalidateSeconds
  const lines = [
    `## Tracking plans — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `**Ingest with a ${PLAN_EVENTS}-event plan vs none.** One \`loupe serve\`, two sources: A without a plan, B connected to a ${PLAN_EVENTS}-event plan ` +
      `(\`bench/plan-fixture.ts\`: full schemas for the bench bodies' ${BENCH_EVENT_NAMES.join(', ')}, ${PLAN_EVENTS - BENCH_EVENT_NAMES.length} other events, a common rule). ` +
      `Every measured run: autocannon, ${CONNECTIONS} connections, the same number of \`/v1/batch\` requests of ${BATCH_SIZE} events (sized to ~${MEASURE_SECONDS} s), in the order ${ORDER.join(' ')} after a ${WARMUP_SECONDS} s warm-up of each.`,
    '',
    '| Run | Source | events/s | p50 | p99 | stored = acked | engine CPU | search index lag after |',
    '|---:|---|---:|---:|---:|---|---:|---:|'
  ]
  r.runs.forEach((run, i) => {
    lines.push(
      `| ${i + 1} | ${run.source === 'A' ? 'A, no plan' : 'B, plan'} | ${int(run.acked / run.load.seconds)} | ${ms(run.load.latencyMs.p50)} | ${ms(run.load.latencyMs.p99)} | ` +
        `${run.stored === run.acked ? 'yes' : '**NO**'}: ${int(run.stored)} / ${int(run.acked)} | ${pct(run.engineCpu)} | ${int(run.indexPending)} |`
    )
  })
  lines.push(
    '',
    `B ÷ A for each pair of neighbouring runs: ${r.pairRatios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}; median ${(r.ratio * 100).toFixed(1)} % (the result). ` +
      `Over all runs: A (no plan) ${int(r.perSec.A)} events/s, B (plan) ${int(r.perSec.B)} events/s, ${((r.perSec.B / r.perSec.A) * 100).toFixed(1)} %. ` +
      `B's events with violations: ${int(r.bWithViolations)} of ${int(r.bEvents)} (${((r.bWithViolations / Math.max(1, r.bEvents)) * 100).toFixed(2)} %, the bodies make ${(EXPECTED_VIOLATION_SHARE * 100).toFixed(2)} % break the plan)` +
      `${r.sampleViolation ? `, e.g. ${r.sampleViolation}` : ''}; A's: ${r.aHasViolations ? '**some**' : 'none'}.`,
    '',
    `**Re-validating ${int(HISTORY_EVENTS)} stored events.** A fresh \`loupe serve\`; ${int(r.seed.stored)} events stored for a source with no plan through \`/v1/batch\` ` +
      `(autocannon, ${CONNECTIONS} connections, ${int(r.seed.stored / r.seed.seconds)} events/s); the same ${PLAN_EVENTS}-event plan, not connected; then \`POST /api/plans/:id/revalidate\` ` +
      `with that source, polled every ${POLL_MS} ms until the job is done. The search indexer was still catching up on the seeded events (${int(r.indexPendingAtStart)} pending at the start) and ran alongside, on the store thread.`,
    '',
    '| Events checked | seconds | events/s | with violations | engine CPU | job |',
    '|---:|---:|---:|---:|---:|---|',
    `| ${int(job.checked)} of ${int(job.total)} | ${r.revalidate.seconds.toFixed(1)} | ${int(job.checked / r.revalidate.seconds)} | ${int(job.withViolations)} (${((job.withViolations / Math.max(1, job.checked)) * 100).toFixed(2)} %) | ${pct(r.revalidate.engineCpu)} | ${job.state} |`,
    '',
    `Groups found: ${job.groups.slice(0, 3).map((g) => `${g.event} ${g.kind} \`${g.pointer}\` ×${int(g.count)}`).join('; ') || 'none'}.`,
    '',
    '| Target | Goal | Measured | |',
    '|---|---|---|---|',
    `| Batch ingest with a ${PLAN_EVENTS}-event plan vs none (same run, median of pairs) | ≥ ${PLANS_TARGETS.withPlanVsWithout * 100} % | ${(r.ratio * 100).toFixed(1)} % | ${ingestMet ? 'met' : '**missed**'} |`,
    `| Re-validating ${int(HISTORY_EVENTS)} stored events | ≤ ${PLANS_TARGETS.revalidateSeconds} s | ${r.revalidate.seconds.toFixed(1)} s | ${revalidateMet ? 'met' : '**missed**'} |`,
    '',
    '**Problems seen:** ' + (r.problems.length === 0 ? 'none (counts match, violations where expected).' : '')
  )
  for (const problem of r.problems) lines.push(`- ${problem}`)
  lines.push('', '**Machine:**', '')
  for (const [key, value] of machine) lines.push(`- ${key}: ${value}`)
  lines.push(`- load average after the run: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`)
  return lines.join('\n')
}


