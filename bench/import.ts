// Import throughput (QA mode): N events go into one `loupe serve` through /v1/batch (100 per request, 4
// senders — the engine's batch-ingest rate, measured here in the same run as the comparison), are exported
// as NDJSON with GET /api/export, and imported into a fresh `loupe serve` with POST /api/import; import
// time = from the start of the upload to the job's "done" (upload + spool + validate + commit).
// `npm run bench -- --import-only` runs just this part.

import type { ImportJob } from '../src-shared/sessions'
import { ingest } from './delivery'
import { writeSection } from './results-md'
import { startEngine, type EngineTarget } from './targets'

const EVENTS = 200_000
const WRITE_KEY = 'wk_bench_import'
const TARGET_EVENTS_PER_SEC = 50_000

export const IMPORT_START = '<!-- import:start (written by `npm run bench`) -->'
export const IMPORT_END = '<!-- import:end -->'

export interface ImportBenchResult {
  ingestPerSec: number
  exportPerSec: number
  importPerSec: number
  bytes: number
  job: ImportJob
  met: boolean
}

export async function runImportBench(root: string, resultsFile: string): Promise<ImportBenchResult> {
  process.stdout.write(`\n▸ Import: ${EVENTS.toLocaleString('en-US')} events ingested, exported as NDJSON, imported into a fresh engine …\n`)
  const source = await startEngine(root)
  let ndjson: Buffer
  let ingestPerSec: number
  let exportPerSec: number
  try {
    let started = performance.now()
    await ingest(source, WRITE_KEY, EVENTS)
    ingestPerSec = EVENTS / ((performance.now() - started) / 1000)
    started = performance.now()
    const res = await call(source, '/api/export')
    ndjson = Buffer.from(await res.arrayBuffer())
    exportPerSec = EVENTS / ((performance.now() - started) / 1000)
  } finally {
    await source.stop()
  }
  const target = await startEngine(root)
  try {
    const started = performance.now()
    let job = (await (await call(target, '/api/import', { method: 'POST', headers: { 'content-type': 'application/json' }, body: ndjson })).json()) as ImportJob
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 20))
      job = (await (await call(target, `/api/import/${job.id}`)).json()) as ImportJob
    }
    const importPerSec = EVENTS / ((performance.now() - started) / 1000)
    const result: ImportBenchResult = { ingestPerSec, exportPerSec, importPerSec, bytes: ndjson.length, job, met: importPerSec >= TARGET_EVENTS_PER_SEC && job.stored === EVENTS }
    const markdown = render(result)
    process.stdout.write(`\n${markdown}\n`)
    writeSection(resultsFile, IMPORT_START, IMPORT_END, markdown)
    return result
  } finally {
    await target.stop()
  }
}

async function call(engine: EngineTarget, path: string, init: RequestInit = {}): Promise<Response> {
  const res = await fetch(`${engine.baseUrl}${path}`, { ...init, headers: { authorization: `Bearer ${engine.token}`, ...(init.headers as Record<string, string>) } })
  if (!res.ok) throw new Error(`${init.method ?? 'GET'} ${path} answered ${res.status}: ${await res.text()}`)
  return res
}

function render(r: ImportBenchResult): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-US')
  return [
    `## Import throughput — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `${n(EVENTS)} events (bench/payloads.ts batch events, ${(r.bytes / 1024 ** 2).toFixed(1)} MB of NDJSON), each engine a fresh \`loupe serve\` on the same 2 cores.`,
    '',
    '| Step | events/s |',
    '|---|---:|',
    `| Batch ingest: \`/v1/batch\`, 100 per request, 4 senders (this run) | ${n(r.ingestPerSec)} |`,
    `| Export: \`GET /api/export\` (plain NDJSON) | ${n(r.exportPerSec)} |`,
    `| Import: \`POST /api/import\` → job done (upload, validation, dedupe, group commits) | ${n(r.importPerSec)} |`,
    '',
    `Import vs batch ingest: ${((r.importPerSec / r.ingestPerSec) * 100).toFixed(0)} %. Job: read ${n(r.job.read)}, stored ${n(r.job.stored)}, duplicates ${n(r.job.duplicates)}, rejected ${n(r.job.rejected)}.`,
    '',
    `Target: import ≥ ${n(TARGET_EVENTS_PER_SEC)} events/s — ${r.met ? 'met' : 'MISSED'}.`
  ].join('\n')
}
