// Renders one benchmark run as markdown and puts it into bench/RESULTS.md between the "latest run"
// markers, leaving the human-written text around them alone.

import { execFileSync } from 'node:child_process'
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { availableParallelism, cpus, release, totalmem, type } from 'node:os'

export interface ScenarioRow {
  name: string
  path: string
  reqPerSec: number
  eventsPerSec: number
  p50Ms: number
  p99Ms: number
  /** req/s divided by the ceiling's req/s for the same body; null for the ceilings themselves. */
  vsCeiling: number | null
  ok: number
  non2xx: number
  errors: number
  statusCodes: Record<string, number>
  seconds: number
  peakRssBytes: number
  /** Events acknowledged with 2xx vs events the engine's admin API counts; null for the ceilings. */
  count: { acked: number; stored: number } | null
  /** Events stored but not yet in the search index when the run ended; null for the ceilings. */
  indexPending: number | null
  /** CPU time ÷ wall time over the measured run (1 = one core busy); null where /proc is absent. */
  serverCpu: number | null
  loadCpu: number
}

export interface TargetCheck {
  label: string
  goal: string
  actual: string
  met: boolean
}

export interface Report {
  date: Date
  machine: Array<[string, string]>
  settings: string[]
  rows: ScenarioRow[]
  targets: TargetCheck[]
  problems: string[]
  /** Free-form lines under the targets (e.g. how far destinations lagged behind ingest). */
  notes?: string[]
}

const START = '<!-- latest-run:start (written by `npm run bench`; edit above or below, not between) -->'
const END = '<!-- latest-run:end -->'

export function renderReport(report: Report): string {
  const lines = [`## Latest run — ${report.date.toISOString().replace('T', ' ').slice(0, 19)} UTC`, '']
  lines.push('| Scenario | req/s | events/s | p50 | p99 | vs ceiling req/s | 2xx | non-2xx | errors | stored = acked | search index lag | peak RSS | CPU server / load gen |')
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|')
  for (const row of report.rows) {
    lines.push(
      `| ${row.name} (\`${row.path}\`) | ${int(row.reqPerSec)} | ${int(row.eventsPerSec)} | ${ms(row.p50Ms)} | ${ms(row.p99Ms)} | ` +
        `${row.vsCeiling === null ? '—' : `${(row.vsCeiling * 100).toFixed(1)} %`} | ${int(row.ok)} | ${nonOk(row)} | ${int(row.errors)} | ` +
        `${countCell(row.count)} | ${row.indexPending === null ? '—' : int(row.indexPending)} | ${mb(row.peakRssBytes)} | ${pct(row.serverCpu)} / ${pct(row.loadCpu)} |`
    )
  }
  lines.push('', '| Target | Goal | Measured | |', '|---|---|---|---|')
  for (const t of report.targets) lines.push(`| ${t.label} | ${t.goal} | ${t.actual} | ${t.met ? 'met' : '**missed**'} |`)
  if (report.notes?.length) lines.push('', ...report.notes.map((note) => `- ${note}`))
  lines.push('', '**Problems seen:** ' + (report.problems.length === 0 ? 'none (no non-2xx answers, no errors, counts match).' : ''))
  for (const problem of report.problems) lines.push(`- ${problem}`)
  lines.push('', '**Settings:**', '')
  for (const setting of report.settings) lines.push(`- ${setting}`)
  lines.push('', '**Machine:**', '')
  for (const [key, value] of report.machine) lines.push(`- ${key}: ${value}`)
  return lines.join('\n')
}

/** Replaces the latest-run section of the results file (appends one if the file has none). */
export function writeLatestRun(file: string, section: string): void {
  writeSection(file, START, END, section)
}

/** Replaces the text between two marker comments of the results file (appends them if absent). */
export function writeSection(file: string, startMarker: string, endMarker: string, section: string): void {
  const block = `${startMarker}\n\n${section}\n\n${endMarker}`
  const current = existsSync(file) ? readFileSync(file, 'utf8') : '# Loupe benchmark results\n'
  const start = current.indexOf(startMarker)
  const end = current.indexOf(endMarker)
  const next =
    start !== -1 && end > start
      ? current.slice(0, start) + block + current.slice(end + endMarker.length)
      : `${current.trimEnd()}\n\n${block}\n`
  writeFileSync(file, next)
}

export function int(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

export function ms(n: number): string {
  return `${n < 10 ? n.toFixed(2) : n.toFixed(1)} ms`
}

export function pct(share: number | null): string {
  return share === null ? '—' : `${Math.round(share * 100)} %`
}

function mb(bytes: number): string {
  return bytes > 0 ? `${(bytes / 1024 ** 2).toFixed(0)} MB` : '—'
}

function nonOk(row: ScenarioRow): string {
  if (row.non2xx === 0) return '0'
  const codes = Object.entries(row.statusCodes).filter(([code]) => !code.startsWith('2'))
  return `${int(row.non2xx)} (${codes.map(([code, n]) => `${code}×${n}`).join(', ')})`
}

function countCell(count: ScenarioRow['count']): string {
  if (count === null) return '—'
  const verdict = count.stored === count.acked ? 'yes' : '**NO**'
  return `${verdict}: ${int(count.stored)} stored / ${int(count.acked)} acked`
}

/** The machine a run measured, for every results section. */
export function machineNotes(root: string, loadBefore: number[]): Array<[string, string]> {
  const run = (command: string, args: string[]): string | null => {
    try {
      return execFileSync(command, args, { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
    } catch {
      return null
    }
  }
  const commit = run('git', ['rev-parse', '--short', 'HEAD'])
  const dirty = run('git', ['status', '--porcelain'])
  return [
    ['`nproc`', run('nproc', []) ?? String(availableParallelism())],
    ['node', process.version],
    ['CPU', cpus()[0]?.model ?? 'unknown'],
    ['memory', `${(totalmem() / 1024 ** 3).toFixed(1)} GB`],
    ['OS', `${type()} ${release()}`],
    ['commit', commit ? `${commit}${dirty ? ' (with uncommitted changes)' : ''}` : 'unknown'],
    ['load average before the run', loadBefore.map((n) => n.toFixed(2)).join(', ')],
    ['note', 'server, receiver and load generator share these cores; other work on the machine skews results (see the load average)']
  ]
}
