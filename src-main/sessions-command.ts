// `loupe export` and `loupe import`: sessions as NDJSON files. Both talk to an engine's admin API — the one
// running on the data dir (found through its lock, token from the data dir), one at --url, or, when none
// runs on the data dir, an engine started here on a free loopback port for the duration of the command —
// so an import always goes through the same ingest path (validation, dedupe) as live traffic.

import { createReadStream, createWriteStream } from 'node:fs'
import { basename, relative, resolve, sep } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { parseArgs } from 'node:util'
import type { ImportJob } from '../src-shared/sessions'
import { call, connect, CONNECTION, STDIO, type Admin, type Output } from './admin-connection'
import { sourceSegment } from './engine/destinations/file-paths'
import { importFiles } from './engine/sessions/ndjson-lines'

export const SESSIONS_HELP = `Usage:
  loupe export --out FILE[.gz] [--data-dir D | --url URL --token T] [filters]
      filters: --source ID --type T --event NAME --user ID --q TEXT --from TIME --to TIME --run RUN_ID
      (a .gz file name writes gzip)
  loupe import <file|folder> [--data-dir D | --url URL --token T] [--source-id ID]
      a folder imports every *.ndjson / *.ndjson.gz in it (e.g. a file destination's archive: the files
      under a source's folder go back into the source of that name, so importing an archive twice stores
      nothing twice; into a Loupe with no events yet, a source folder no source is named after gets a
      new source of that name, elsewhere it is skipped: import it with --source-id);
      exit 0 all stored or duplicates, 1 some lines rejected or folders skipped, 2 usage, 3 could not run
`

const FILTERS = ['source', 'type', 'event', 'user', 'q', 'from', 'to', 'run'] as const

export async function sessionsCommand(command: 'export' | 'import', args: string[], io: Output = STDIO): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    io.out(SESSIONS_HELP)
    return 0
  }
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(command, args)
  } catch (error) {
    io.err(`loupe ${command}: ${(error as Error).message}\n${SESSIONS_HELP}`)
    return 2
  }
  let admin: Admin
  try {
    // An import may start a new data dir; an export needs one with events in it.
    admin = await connect(parsed.values, { create: command === 'import' })
  } catch (error) {
    io.err(`loupe ${command}: ${(error as Error).message}\n`)
    return 3
  }
  try {
    return command === 'export' ? await runExport(admin, parsed.values, io) : await runImport(admin, parsed.positionals[0]!, parsed.values, io)
  } catch (error) {
    io.err(`\nloupe ${command}: ${(error as Error).message}\n`)
    return 3
  } finally {
    await admin.close()
  }
}

function parse(command: 'export' | 'import', args: string[]) {
  const options = command === 'export'
    ? { ...CONNECTION, out: { type: 'string' }, ...Object.fromEntries(FILTERS.map((f) => [f, { type: 'string' }])) }
    : { ...CONNECTION, 'source-id': { type: 'string' } }
  const { values, positionals } = parseArgs({ args, strict: true, allowPositionals: true, options: options as Record<string, { type: 'string' }> })
  if (values.url !== undefined && values['data-dir'] !== undefined) throw new Error('give --url or --data-dir, not both')
  if (command === 'export') {
    if (positionals.length > 0) throw new Error(`unexpected argument "${positionals[0]}"`)
    if (!values.out) throw new Error('--out FILE is required (FILE.gz for gzip)')
  } else {
    if (positionals.length !== 1) throw new Error('give one file or folder to import')
    if (values['source-id'] !== undefined && !/^\d{1,15}$/.test(values['source-id'])) throw new Error('--source-id must be a source id (a number)')
  }
  return { values: values as Record<string, string | undefined>, positionals }
}

async function runExport(admin: Admin, values: Record<string, string | undefined>, io: Output): Promise<number> {
  const out = values.out!
  const query = new URLSearchParams()
  for (const key of FILTERS) if (values[key] !== undefined) query.set(key === 'run' ? 'runId' : key, values[key]!)
  if (out.endsWith('.gz')) query.set('gzip', '1')
  const res = await call(admin, `/api/export?${query}`)
  await pipeline(Readable.fromWeb(res.body as import('node:stream/web').ReadableStream), createWriteStream(out, { mode: 0o600 }))
  io.out(`Exported to ${out}\n`)
  return 0
}

async function runImport(admin: Admin, path: string, values: Record<string, string | undefined>, io: Output): Promise<number> {
  const files = await importFiles(path)
  if (files.length === 0) throw new Error(`no *.ndjson or *.ndjson.gz files in ${path}`)
  const given = values['source-id']
  // An archive partitioned by source (`<folder>/<source>/<day>/…`): archive lines carry no write key, so each
  // file goes back into the source its folder is named after. A folder no source is named after gets a new
  // source of that name only in a Loupe holding no events yet (a restore keeps the sources apart); elsewhere
  // it may be an older folder of a renamed source, whose events are already here under the new name: it is
  // skipped, and the hint says how to send it where it belongs. Other keyless lines go to "Imported".
  const { bySegment, empty } = given === undefined ? await sourcesBySegment(admin) : { bySegment: new Map<string, number>(), empty: false }
  const skipped = new Set<string>()
  let skippedFiles = 0
  const sourceOf = async (file: string): Promise<string | undefined | null> => {
    if (given !== undefined) return given
    let parts = relative(path, file).split(sep)
    // The folder of one existing source (`<archive>/<source>`, its files under day folders): named by its own
    // name. (A `day`-partitioned archive looks the same, but is named after no source: its lines stay keyless.)
    if (parts.length === 2 && ARCHIVE_DAY.test(parts[0]!) && bySegment.has(basename(resolve(path)))) parts = [basename(resolve(path)), ...parts]
    // Only the source-and-day layout names a source: elsewhere a folder's name says nothing about its lines.
    if (parts.length !== 3 || !ARCHIVE_DAY.test(parts[1]!)) return undefined
    const folder = parts[0]!
    let id = bySegment.get(folder)
    if (id === undefined) {
      if (!empty) {
        if (!skipped.has(folder)) io.err(`Skipped ${folder}${sep}: no source is named after it (a renamed source's folder? import it with --source-id <id>)\n`)
        skipped.add(folder)
        return null
      }
      id = await createSource(admin, folder)
      bySegment.set(folder, id)
      io.err(`Created source "${folder}" (id ${id}) for ${folder}${sep}\n`)
    }
    return id === undefined ? undefined : String(id)
  }
  const total = { read: 0, stored: 0, duplicates: 0, rejected: 0 }
  const rejectedLines: string[] = []
  const tty = process.stderr.isTTY === true && io === STDIO
  for (const file of files) {
    const name = files.length === 1 ? file : relative(path, file)
    const sourceId = await sourceOf(file)
    if (sourceId === null) {
      skippedFiles++
      continue
    }
    const res = await call(admin, `/api/import${sourceId === undefined ? '' : `?sourceId=${sourceId}`}`, {
      method: 'POST',
      headers: { 'content-type': file.endsWith('.gz') ? 'application/gzip' : 'application/x-ndjson' },
      body: Readable.toWeb(createReadStream(file)) as unknown as RequestInit["body"],
      duplex: 'half'
    } as RequestInit)
    let job = (await res.json()) as ImportJob
    while (job.status === 'running') {
      await new Promise((resolve) => setTimeout(resolve, 200))
      job = (await (await call(admin, `/api/import/${job.id}`)).json()) as ImportJob
      if (tty) io.err(`\r${name}: ${progress(job)}   `)
    }
    io.err(`${tty ? '\r' : ''}${name}: ${progress(job)}\n`)
    if (job.status === 'failed') throw new Error(`importing ${name} failed: ${job.error}`)
    for (const key of ['read', 'stored', 'duplicates', 'rejected'] as const) total[key] += job[key]
    for (const line of job.rejectedLines) rejectedLines.push(`  ${name}:${line.line}: ${line.code}${line.field ? ` (${line.field})` : ''}: ${line.message}`)
  }
  if (rejectedLines.length > 0) io.err(`Rejected lines:\n${rejectedLines.slice(0, 50).join('\n')}\n${rejectedLines.length > 50 ? `  … ${rejectedLines.length - 50} more\n` : ''}`)
  const imported = files.length - skippedFiles
  io.out(`Imported ${total.read} lines from ${imported} ${imported === 1 ? 'file' : 'files'}: ${total.stored} stored, ${total.duplicates} duplicates, ${total.rejected} rejected${skipped.size > 0 ? `; skipped ${[...skipped].join(', ')}` : ''}\n`)
  return total.rejected > 0 || skipped.size > 0 ? 1 : 0
}

/** The day folder of the file destination's source-and-day partitions. */
const ARCHIVE_DAY = /^\d{4}-\d{2}-\d{2}$/

async function createSource(admin: Admin, name: string): Promise<number> {
  const res = await call(admin, '/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name }) })
  return ((await res.json()) as { id: number }).id
}

/** Existing sources by the folder name the file destination gives them. */
async function sourcesBySegment(admin: Admin): Promise<{ bySegment: Map<string, number>; empty: boolean }> {
  const { sources } = (await (await call(admin, '/api/sources')).json()) as { sources: { id: number; name: string; eventCount: number }[] }
  return { bySegment: new Map(sources.map((s) => [sourceSegment(s.name, s.id), s.id])), empty: sources.every((s) => s.eventCount === 0) }
}

function progress(job: ImportJob): string {
  return `read ${job.read}, stored ${job.stored}, duplicates ${job.duplicates}, rejected ${job.rejected}${job.status === 'running' ? ' …' : ''}`
}
