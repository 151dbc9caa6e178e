// Privacy (issue #6): what PII detection at ingest costs. One fresh `loupe serve`, one source, one load:
// browser batches full of personal data (bench/privacy-payloads.ts). Runs A have detection off
// (`PUT /api/privacy/settings {"detection": false}`), runs B on (`{}`, the default), in the order
// A B B A A B B A so a drift over the run (the search index backlog grows) weighs on both alike; each B run is
// compared with the A run next to it, and the median of those ratios is the result (a burst of other work on
// a shared machine moves one pair, not the median).
// Checked around every run: stored = acknowledged; a B run adds to the PII inventory exactly the findings its
// events carry (computed from the bodies), and its events come back with `pii=1`; an A run adds none. The
// card-shaped order references (Luhn fails) must never be reported.
// `npm run bench -- --privacy-only` runs just this part (~1 min). BENCH_CPU_PROF=<dir> runs the engine with
// --cpu-prof (one .cpuprofile per engine thread, written on exit).

import { loadavg } from 'node:os'
import { join } from 'node:path'
import type { EventRecord, EventsPage } from '../src-shared/api'
import type { PiiInventory, PrivacySettings } from '../src-shared/privacy'
import { compileDetector } from '../src-main/engine/privacy/detect'
import { cpuSeconds } from './cpu-time'
import { admin, createSource } from './delivery'
import type { LoadConfig, LoadResult } from './load'
import { runLoad } from './load-runner'
import { PRIVACY_BATCH_SIZE, PRIVACY_MIX, privacySampleEvents } from './privacy-payloads'
import { writeSection } from './results-md'
import { startEngine } from './targets'
import { int, ms, pct } from './results-md'
import { pairedSummary, settledCount } from './paired-runs'

export const PRIVACY_START = '<!-- privacy:start (written by `npm run bench`) -->'
export const PRIVACY_END = '<!-- privacy:end -->'

export const PRIVACY_TARGETS = { detectionOnVsOff: 0.75 }
const CONNECTIONS = 32
const WARMUP_SECONDS = 3
const MEASURE_SECONDS = 5
const ORDER: Array<'A' | 'B'> = ['A', 'B', 'B', 'A', 'A', 'B', 'B', 'A']
const KEY = 'wk_privacy_bench'
/** The field the load fills with card-shaped numbers that fail Luhn: never a finding. */
const LOOK_ALIKE_PATH = 'properties.order_reference'

export interface PrivacyRun {
  mode: 'A' | 'B'
  load: LoadResult
  acked: number
  stored: number
  /** Growth of the inventory's counts (sum over fields) over the run. */
  findings: number
  /** Whether `GET /api/events?pii=1` finds an event received during the run. */
  piiEventsInWindow: boolean
  engineCpu: number | null
  indexPending: number
}

export interface PrivacyBenchResult {
  runs: PrivacyRun[]
  perSec: { A: number; B: number }
  /** B ÷ A events/s of each pair of neighbouring runs (1–2, 3–4, …). */
  pairRatios: number[]
  /** The median of pairRatios: what the target is checked on. */
  ratio: number
  bodyBytesPerEvent: number
  findingsPerEvent: number
  /** Inventory fields at the end: path, matcher, classification, count. */
  fields: Array<{ path: string; matcher: string; classification: string; count: number }>
  sampleFindings: string | null
  problems: string[]
  /** Problems that make the run fail: counts that do not match, detection not seen where it should be or seen where it should not. */
  broken: boolean
}

export async function runPrivacyBench(root: string, resultsFile: string, machine: Array<[string, string]>): Promise<PrivacyBenchResult> {
  const problems: string[] = []
  let broken = false
  const fail = (message: string): void => {
    problems.push(message)
    broken = true
  }
  const profileDir = process.env.BENCH_CPU_PROF
  process.stdout.write(`\n▸ Privacy: PII detection off (A) and on (B), browser batches full of personal data, runs ${ORDER.join(' ')} of ~${MEASURE_SECONDS} s …\n`)
  const measured = await measure(root, profileDir ? { nodeArgs: ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, 'privacy-ingest')}`] } : {}, fail, problems)
  const result: PrivacyBenchResult = { ...measured, problems, broken }
  const markdown = render(result, machine)
  process.stdout.write(`\n${markdown}\n`)
  writeSection(resultsFile, PRIVACY_START, PRIVACY_END, markdown)
  return result
}

/** What one batch body holds, on average: bytes and findings per event (the detector run on the bodies' events). */
function expectations(): { findingsPerEvent: number; bodyBytesPerEvent: number } {
  const events = privacySampleEvents()
  const detector = compileDetector({ custom: [] })
  let findings = 0
  for (const event of events) findings += detector.detect(event).length
  const bytes = events.reduce((n, e) => n + Buffer.byteLength(JSON.stringify(e)), 0)
  return { findingsPerEvent: findings / events.length, bodyBytesPerEvent: bytes / events.length }
}

type Measured = Omit<PrivacyBenchResult, 'problems' | 'broken'>

async function measure(root: string, options: Parameters<typeof startEngine>[1], fail: (m: string) => void, problems: string[]): Promise<Measured> {
  const { findingsPerEvent, bodyBytesPerEvent } = expectations()
  const engine = await startEngine(root, options)
  let stopped = false
  try {
    const sourceId = await createSource(engine, 'Privacy bench', KEY)
    const load: Omit<LoadConfig, 'maxSeconds'> = { url: `${engine.baseUrl}/v1/batch`, path: '/v1/batch', kind: 'privacy-batch', writeKey: KEY, connections: CONNECTIONS }
    const setDetection = async (mode: 'A' | 'B'): Promise<void> => {
      const settings = await admin<PrivacySettings>(engine, 'PUT', '/api/privacy/settings', mode === 'A' ? { detection: false } : {})
      if ((settings.detection !== false) !== (mode === 'B')) throw new Error(`PUT /api/privacy/settings did not turn detection ${mode === 'B' ? 'on' : 'off'}: ${JSON.stringify(settings)}`)
    }
    const inventoryTotal = async (): Promise<number> =>
      (await admin<PiiInventory>(engine, 'GET', `/api/privacy/inventory?source=${sourceId}`)).fields.reduce((n, f) => n + f.count, 0)

    // Warm-ups: the engine's JIT, with detection off then on (outside the measured runs).
    const rates: number[] = []
    for (const mode of ['A', 'B'] as const) {
      await setDetection(mode)
      const warmup = await runLoad(root, { ...load, durationSeconds: WARMUP_SECONDS, maxSeconds: WARMUP_SECONDS + 5 })
      if (warmup.ok === 0) throw new Error(`no 2xx answer during the warm-up of ${mode}: ${JSON.stringify(warmup.statusCodes)} (${warmup.errors} errors)`)
      rates.push(warmup.ok / warmup.seconds)
    }
    // One request count for every run, so A and B get the same load shape.
    const amount = Math.max(CONNECTIONS * 20, Math.round(Math.min(...rates) * MEASURE_SECONDS))

    const runs: PrivacyRun[] = []
    for (const mode of ORDER) {
      await setDetection(mode)
      const before = await settledCount(engine)
      const inventoryBefore = await inventoryTotal()
      const from = Date.now()
      const cpu0 = cpuSeconds(engine.pid)
      const measured = await runLoad(root, { ...load, amount, maxSeconds: MEASURE_SECONDS * 3 })
      const cpu1 = cpuSeconds(engine.pid)
      const after = await engine.stats()
      const stored = (await settledCount(engine)) - before
      const to = Date.now() + 1
      const inPii = await admin<EventsPage>(engine, 'GET', `/api/events?source=${sourceId}&pii=1&limit=1&from=${from}&to=${to}`)
      const run: PrivacyRun = {
        mode,
        load: measured,
        acked: measured.ok * measured.eventsPerRequest,
        stored,
        findings: (await inventoryTotal()) - inventoryBefore,
        piiEventsInWindow: inPii.events.length > 0,
        engineCpu: cpu0 !== null && cpu1 !== null ? (cpu1 - cpu0) / measured.seconds : null,
        indexPending: after.indexPending
      }
      runs.push(run)
      const label = `run ${runs.length} (${mode})`
      if (run.stored !== run.acked) fail(`${label}: the engine stored ${run.stored} events but acknowledged ${run.acked} with 2xx`)
      if (mode === 'A' && run.findings !== 0) fail(`${label}: detection was off, yet the inventory grew by ${run.findings} findings`)
      if (mode === 'A' && run.piiEventsInWindow) fail(`${label}: detection was off, yet events received during the run have findings (pii=1)`)
      if (mode === 'B' && !run.piiEventsInWindow) fail(`${label}: detection was on, yet no event received during the run has findings (pii=1)`)
      const expected = Math.round(run.stored * findingsPerEvent)
      if (mode === 'B' && run.findings !== expected) fail(`${label}: the inventory grew by ${run.findings} findings; the ${run.stored} stored events carry ${expected}`)
      if (measured.non2xx > 0) problems.push(`${label}: ${measured.non2xx} non-2xx answers ${JSON.stringify(measured.statusCodes)}`)
      if (measured.errors > 0) problems.push(`${label}: ${measured.errors} connection errors / timeouts`)
      if (measured.stoppedEarly) problems.push(`${label}: the measured run hit its time limit and was cut off`)
      process.stdout.write(
        `  ${label}: ${int(run.acked / measured.seconds)} events/s, p50 ${measured.latencyMs.p50.toFixed(1)} ms, p99 ${measured.latencyMs.p99.toFixed(1)} ms, ` +
          `stored ${int(run.stored)} / acked ${int(run.acked)}, findings +${int(run.findings)}, engine CPU ${run.engineCpu === null ? '?' : `${Math.round(run.engineCpu * 100)} %`}\n`
      )
    }

    const { pairRatios, ratio, perSec } = pairedSummary(runs, (run) => run.mode)

    const inventory = await admin<PiiInventory>(engine, 'GET', `/api/privacy/inventory?source=${sourceId}`)
    const fields = inventory.fields.map((f) => ({ path: f.path, matcher: f.matcher, classification: f.classification, count: f.count })).sort((x, y) => y.count - x.count || x.path.localeCompare(y.path))
    if (fields.length === 0) fail('the PII inventory is empty after the B runs')
    const lookAlike = fields.find((f) => f.path === LOOK_ALIKE_PATH)
    if (lookAlike) fail(`${LOOK_ALIKE_PATH} (card-shaped, fails Luhn) was reported ${lookAlike.count} times as ${lookAlike.matcher}`)
    let sampleFindings: string | null = null
    const flagged = await admin<EventsPage>(engine, 'GET', `/api/events?source=${sourceId}&pii=1&type=identify&limit=1`)
    const first = flagged.events[0]
    if (!first) fail('no identify event has findings (pii=1)')
    else {
      const record = await admin<EventRecord>(engine, 'GET', `/api/events/${first.id}`)
      if (record.findings.length === 0) fail(`event ${first.id} is listed with pii=1 but its record has no findings`)
      sampleFindings = record.findings.map((f) => `\`${f.pointer}\` ${f.matcher} (${f.classification}) \`${f.sample}\``).join(', ')
    }

    stopped = true
    const { exit, stderr } = await engine.stop()
    if (stderr.trim()) problems.push(`engine wrote to stderr: ${stderr.trim().split('\n').slice(0, 5).join(' | ')}`)
    if (exit !== 0) problems.push(`engine exited with ${exit} on SIGTERM`)
    return { runs, perSec, pairRatios, ratio, bodyBytesPerEvent, findingsPerEvent, fields, sampleFindings }
  } finally {
    if (!stopped) await engine.stop()
  }
}



// ---- the results section -----------------------------------------------------------------------------

function render(r: PrivacyBenchResult, machine: Array<[string, string]>): string {
  const met = r.ratio >= PRIVACY_TARGETS.detectionOnVsOff
  const pctOf = (share: number): string => `${Math.round(share * 100)} %`
  const lines = [
    `## Privacy — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `**Ingest with PII detection on vs off.** One \`loupe serve\`, one source; detection switched between runs with \`PUT /api/privacy/settings\` ` +
      `(A: \`{"detection": false}\`, B: \`{}\`, the default). The load (\`bench/privacy-payloads.ts\`): analytics.js-like browser batches of ${PRIVACY_BATCH_SIZE} events, ` +
      `~${int(r.bodyBytesPerEvent)} B per event, each with context ip, userAgent, page (url, referrer, title), locale, timezone, library; ` +
      `${pctOf(PRIVACY_MIX.identify)} identifies with email, phone, first/last/full name and address traits; ${pctOf(PRIVACY_MIX.page)} pages; ` +
      `${pctOf(PRIVACY_MIX.track)} commerce tracks, ${pctOf(PRIVACY_MIX.trackWithEmailAndCardLikeReference)} of all events an Order Completed with the buyer's email and a card-shaped order reference that fails Luhn ` +
      `(${r.findingsPerEvent.toFixed(2)} findings per event). Every measured run: autocannon, ${CONNECTIONS} connections, the same number of \`/v1/batch\` requests (sized to ~${MEASURE_SECONDS} s), ` +
      `in the order ${ORDER.join(' ')} after a ${WARMUP_SECONDS} s warm-up of each.`,
    '',
    '| Run | Detection | events/s | p50 | p99 | stored = acked | inventory findings added | events with `pii=1` in the run | engine CPU | search index lag after |',
    '|---:|---|---:|---:|---:|---|---:|---|---:|---:|'
  ]
  r.runs.forEach((run, i) => {
    lines.push(
      `| ${i + 1} | ${run.mode === 'A' ? 'A, off' : 'B, on'} | ${int(run.acked / run.load.seconds)} | ${ms(run.load.latencyMs.p50)} | ${ms(run.load.latencyMs.p99)} | ` +
        `${run.stored === run.acked ? 'yes' : '**NO**'}: ${int(run.stored)} / ${int(run.acked)} | ${int(run.findings)} | ${run.piiEventsInWindow ? 'yes' : 'none'} | ${pct(run.engineCpu)} | ${int(run.indexPending)} |`
    )
  })
  lines.push(
    '',
    `B ÷ A for each pair of neighbouring runs: ${r.pairRatios.map((x) => `${(x * 100).toFixed(1)} %`).join(', ')}; median ${(r.ratio * 100).toFixed(1)} % (the result). ` +
      `Over all runs: A (off) ${int(r.perSec.A)} events/s, B (on) ${int(r.perSec.B)} events/s, ${((r.perSec.B / r.perSec.A) * 100).toFixed(1)} %. ` +
      `Each B run must add to the inventory exactly ${r.findingsPerEvent.toFixed(2)} findings per stored event, each A run none.`,
    '',
    `Inventory at the end: ${r.fields.map((f) => `\`${f.path}\` ${f.matcher} (${f.classification}) ×${int(f.count)}`).join('; ') || 'empty'}. ` +
      `\`${LOOK_ALIKE_PATH}\` (card-shaped, fails Luhn): ${r.fields.some((f) => f.path === LOOK_ALIKE_PATH) ? '**reported**' : 'not reported'}.` +
      (r.sampleFindings ? ` An identify's findings: ${r.sampleFindings}.` : ''),
    '',
    '| Target | Goal | Measured | |',
    '|---|---|---|---|',
    `| Batch ingest with PII detection on vs off (same run, median of pairs) | ≥ ${PRIVACY_TARGETS.detectionOnVsOff * 100} % | ${(r.ratio * 100).toFixed(1)} % | ${met ? 'met' : '**missed**'} |`,
    '',
    '**Problems seen:** ' + (r.problems.length === 0 ? 'none (counts match, findings where expected and only there).' : '')
  )
  for (const problem of r.problems) lines.push(`- ${problem}`)
  lines.push('', '**Machine:**', '')
  for (const [key, value] of machine) lines.push(`- ${key}: ${value}`)
  lines.push(`- load average after the run: ${loadavg().map((n) => n.toFixed(2)).join(', ')}`)
  return lines.join('\n')
}



