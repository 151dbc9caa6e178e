// Session export / import end to end: real engines on loopback, real SQLite, the admin API over HTTP, the
// file destination writing a real archive, and the `loupe import` command against a running engine.

import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync, gzipSync } from 'node:zlib'
import { afterEach, describe, expect, it } from 'vitest'
import type { ImportJob } from '../../../src-shared/sessions'
import { sessionsCommand } from '../../sessions-command'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'

const tempDir = useTempDirs('loupe-sessions-')
const engines: TestEngine[] = []
afterEach(async () => {
  for (const e of engines.splice(0)) await e.stop()
})

async function engine(flags: { strictKeys?: boolean } = {}): Promise<TestEngine> {
  const e = await startTestEngine({ maxEvents: '0', ...flags })
  engines.push(e)
  return e
}

async function exportText(t: TestEngine, query = ''): Promise<string> {
  const res = await t.admin(`/api/export${query}`)
  expect(res.status).toBe(200)
  return res.text()
}

const lines = (text: string): any[] => text.split('\n').filter(Boolean).map((l) => JSON.parse(l))

/** Uploads NDJSON and waits for the job to finish (the admin API takes application/json bodies only). */
async function importBody(t: TestEngine, body: string | Buffer, query = ''): Promise<ImportJob> {
  const res = await t.admin(`/api/import${query}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body })
  expect(res.status, await res.clone().text()).toBe(202)
  let job = (await readJson(res)) as ImportJob
  while (job.status === 'running') {
    await new Promise((resolve) => setTimeout(resolve, 50))
    job = await t.get(`/api/import/${job.id}`)
  }
  expect(job.error).toBeNull()
  return job
}

/** 10,000 events of every type, in 100 batches; some without messageId, timestamp or sentAt, two sources. */
async function sendEvents(t: TestEngine, count: number): Promise<void> {
  const types = ['track', 'identify', 'page', 'screen', 'group', 'alias'] as const
  for (let start = 0; start < count; start += 100) {
    const batch = []
    for (let i = start; i < Math.min(count, start + 100); i++) {
      const type = types[i % types.length]!
      const m: Record<string, unknown> = { type, userId: `user-${i % 37}`, properties: { i, nested: { list: [i, 'x'] }, text: `line "${i}"\nnext` }, context: { library: { name: 'test' } } }
      if (i % 5 !== 0) m.messageId = `m-${i}`
      if (i % 3 !== 0) m.timestamp = new Date(Date.UTC(2026, 0, 1) + i * 1000).toISOString()
      if (i % 4 === 0) m.sentAt = new Date(Date.UTC(2026, 0, 1) + i * 1000 + 250).toISOString()
      if (type === 'track') m.event = `Event ${i % 7}`
      if (type === 'page' || type === 'screen') m.name = `Screen ${i % 3}`
      if (type === 'group') m.groupId = `g-${i % 4}`
      if (type === 'alias') m.previousId = `anon-${i}`
      batch.push(m)
    }
    const res = await t.track('/v1/batch', { batch }, start % 200 === 0 ? 'wk_web' : 'wk_ios')
    expect(res.status).toBe(200)
  }
}

describe('session export / import', () => {
  it('round-trips 10,000 events into a fresh data dir losslessly; a second import stores nothing', async () => {
    const a = await engine()
    await sendEvents(a, 10_000)
    const exported = await exportText(a)
    const original = lines(exported)
    expect(original).toHaveLength(10_000)
    expect(new Set(original.map((e) => e.writeKey))).toEqual(new Set(['wk_web', 'wk_ios']))

    const b = await engine()
    const job = await importBody(b, exported)
    expect(job).toMatchObject({ status: 'done', read: 10_000, stored: 10_000, duplicates: 0, rejected: 0 })
    const again = lines(await exportText(b))
    // Same messageIds (generated ones too), payloads, types, timestamps, receivedAt, sources — in the same order.
    expect(again).toEqual(original)
    const events = (await b.get('/api/events?limit=1&type=alias')).events
    expect(events[0].timestamp).toBe(original.filter((e) => e.type === 'alias').at(-1).timestamp)

    const twice = await importBody(b, exported)
    expect(twice).toMatchObject({ read: 10_000, stored: 0, duplicates: 10_000, rejected: 0 })
    expect((await b.get('/api/sources')).sources.reduce((n: number, s: { eventCount: number }) => n + s.eventCount, 0)).toBe(10_000)
  }, 120_000)

  it('reports a bad line with its number and reason and imports the rest', async () => {
    const t = await engine()
    const body = [
      '{"type":"track","event":"A","userId":"u1","messageId":"ok-1"}',
      '{"type":"track", broken',
      '',
      '{"type":"track","event":"B","messageId":"no-user"}',
      '[1,2]',
      '{"type":"identify","userId":"u2","messageId":"ok-2"}'
    ].join('\n')
    const job = await importBody(t, body)
    expect(job).toMatchObject({ read: 5, stored: 2, rejected: 3 })
    expect(job.rejectedLines.map((r) => [r.line, r.code])).toEqual([
      [2, 'ERR_BODY_INVALID_JSON'],
      [4, 'ERR_SPEC_MISSING_USER'],
      [5, 'ERR_BODY_NOT_OBJECT']
    ])
    // No write key on the lines: the "Imported" source.
    const imported = (await t.get('/api/sources')).sources.find((s: { name: string }) => s.name === 'Imported')
    expect(imported.eventCount).toBe(2)
  })

  it('imports into a chosen source, and refuses an unknown one naming the field', async () => {
    const t = await engine()
    const target = (await readJson(await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Target' }) }))).id
    const job = await importBody(t, '{"type":"track","event":"A","userId":"u1","writeKey":"wk_other"}\n', `?sourceId=${target}`)
    expect(job.stored).toBe(1)
    expect((await t.get(`/api/events?source=${target}`)).events).toHaveLength(1)
    const bad = await t.admin('/api/import?sourceId=999', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' })
    expect(bad.status).toBe(400)
    expect((await readJson(bad)).error.field).toBe('sourceId')
    const badFilter = await t.admin('/api/export?userid=x')
    expect(badFilter.status).toBe(400)
    expect((await readJson(badFilter)).error.field).toBe('userid')
  })

  it('creates no source for an unknown write key under --strict-keys: those lines land in "Imported"', async () => {
    const t = await engine({ strictKeys: true })
    const job = await importBody(t, '{"type":"track","event":"A","userId":"u1","writeKey":"wk_never_seen"}\n')
    expect(job.stored).toBe(1)
    const sources = (await t.get('/api/sources')).sources as { name: string; writeKey: string }[]
    expect(sources.map((s) => s.writeKey)).not.toContain('wk_never_seen')
    expect(sources.map((s) => s.name)).toContain('Imported')
  })

  it('removes uploads a crash left half-spooled in the data dir', async () => {
    const dataDir = join(tempDir(), 'data')
    mkdirSync(dataDir, { recursive: true, mode: 0o700 })
    const stale = join(dataDir, 'import-0a1b2c3d4e5f.ndjson.part')
    writeFileSync(stale, '{"type":"track"}\n')
    const t = await startTestEngine({ dataDir })
    engines.push(t)
    await expect.poll(() => existsSync(stale)).toBe(false)
  })

  it('exports and imports gzip', async () => {
    const a = await engine()
    await sendEvents(a, 300)
    const plain = await exportText(a, '?type=track')
    const res = await a.admin('/api/export?type=track&gzip=1')
    expect(res.headers.get('content-type')).toBe('application/gzip')
    const gz = Buffer.from(await res.arrayBuffer())
    expect(gunzipSync(gz).toString()).toBe(plain)
    const b = await engine()
    // Two gzip members in one body, as the file destination writes them.
    const half = plain.indexOf('\n', plain.length / 2) + 1
    const job = await importBody(b, Buffer.concat([gzipSync(plain.slice(0, half)), gzipSync(plain.slice(half))]))
    expect(job).toMatchObject({ read: 50, stored: 50, rejected: 0 })
    expect(await exportText(b)).toBe(plain)
  })

  it('exports the events of one test run only', async () => {
    const t = await engine()
    const run = await readJson(await t.admin('/api/runs', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' }))
    await t.track('/v1/track', { event: 'In run', userId: 'u' }, run.writeKey)
    await t.track('/v1/track', { event: 'Elsewhere', userId: 'u' }, 'wk_other')
    await t.track('/v1/track', { event: 'Tagged', userId: 'u', context: { loupe: { runId: run.id } } }, 'wk_other')
    expect(lines(await exportText(t, `?runId=${run.id}`)).map((e) => e.event)).toEqual(['In run', 'Tagged'])
  })

  it('`loupe import <folder>` imports the file destination archive', async () => {
    const a = await engine()
    const folder = join(tempDir(), 'archive')
    const src = (await readJson(await a.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Web', writeKey: 'wk_web' }) }))).id
    const created = await a.admin('/api/destinations', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Archive', kind: 'file', settings: { folder }, sourceIds: [src] }) })
    expect(created.status).toBe(201)
    await sendEvents(a, 200)
    const wanted = lines(await exportText(a)).filter((e) => e.writeKey === 'wk_web')
    await expect.poll(() => countArchive(folder), { timeout: 30_000 }).toBe(wanted.length)

    const b = await engine()
    const out: string[] = []
    const code = await sessionsCommand('import', [folder, '--data-dir', b.dataDir], { out: (t) => out.push(t), err: (t) => out.push(t) })
    expect(code, out.join('')).toBe(0)
    expect(out.join('')).toContain(`${wanted.length} stored, 0 duplicates, 0 rejected`)
    // Archive lines carry no write key: a new Loupe gets a source named after the archive's source folder, and
    // the events keep their messageIds and times.
    const web = ((await b.get('/api/sources')).sources as { id: number; name: string }[]).find((s) => s.name === 'web')
    expect(web, out.join('')).toBeDefined()
    expect(out.join('')).toContain(`Created source "web" (id ${web!.id})`)
    const got = lines(await exportText(b, `?source=${web!.id}`))
    const strip = (e: any): any => ({ ...e, writeKey: undefined })
    expect(got.map(strip).sort(byId)).toEqual(wanted.map(strip).sort(byId))
    // Importing it again finds that source: nothing twice, no second source.
    const twice: string[] = []
    expect(await sessionsCommand('import', [folder, '--data-dir', b.dataDir], { out: (t) => twice.push(t), err: (t) => twice.push(t) }), twice.join('')).toBe(0)
    expect(twice.join('')).toContain(`0 stored, ${wanted.length} duplicates, 0 rejected`)
    expect(twice.join('')).not.toContain('Created source')

    // Back into the Loupe that wrote it: each source's folder goes to that source, where every line is a duplicate.
    const again: string[] = []
    expect(await sessionsCommand('import', [folder, '--data-dir', a.dataDir], { out: (t) => again.push(t), err: (t) => again.push(t) }), again.join('')).toBe(0)
    expect(again.join('')).toContain(`0 stored, ${wanted.length} duplicates, 0 rejected`)

    // One source's folder on its own is recognised by its name too.
    const one: string[] = []
    expect(await sessionsCommand('import', [join(folder, 'web'), '--data-dir', a.dataDir], { out: (t) => one.push(t), err: (t) => one.push(t) }), one.join('')).toBe(0)
    expect(one.join('')).toContain(`0 stored, ${wanted.length} duplicates, 0 rejected`)

    // After the source is renamed, its old folder matches no source. In a Loupe that has events it is skipped
    // (its events are here under the new name): nothing stored, exit 1, and the hint says how to import it.
    await a.admin(`/api/sources/${src}`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Web App' }) })
    const stored = async (): Promise<number> => ((await a.get("/api/sources")).sources as { eventCount: number }[]).reduce((n, s) => n + s.eventCount, 0)
    const before = await stored()
    const hinted: string[] = []
    expect(await sessionsCommand('import', [folder, '--data-dir', a.dataDir], { out: (t) => hinted.push(t), err: (t) => hinted.push(t) }), hinted.join('')).toBe(1)
    expect(hinted.join('')).toContain('Skipped web')
    expect(hinted.join('')).toContain('0 stored, 0 duplicates, 0 rejected; skipped web')
    expect(hinted.join('')).not.toContain('Created source')
    expect(await stored()).toBe(before)
    const renamed: string[] = []
    expect(await sessionsCommand('import', [folder, '--data-dir', a.dataDir, '--source-id', String(src)], { out: (t) => renamed.push(t), err: (t) => renamed.push(t) }), renamed.join('')).toBe(0)
    expect(renamed.join('')).toContain(`0 stored, ${wanted.length} duplicates, 0 rejected`)

    // Into a data dir that does not exist yet: made, like the engine makes its own.
    const fresh = join(tempDir(), 'new-data-dir')
    const restored: string[] = []
    expect(await sessionsCommand('import', [folder, '--data-dir', fresh], { out: (t) => restored.push(t), err: (t) => restored.push(t) }), restored.join('')).toBe(0)
    expect(restored.join('')).toContain(`${wanted.length} stored, 0 duplicates, 0 rejected`)
  }, 90_000)

  it('`loupe import <folder>` names a source by folder only in the source-and-day layout', async () => {
    const t = await engine()
    await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Web', writeKey: 'wk_web_folder' }) })
    await t.track('/v1/track', { event: 'Seen', userId: 'u' }, 'wk_web_folder')
    const root = tempDir()
    // A `day`-partitioned archive (`<folder>/<day>/file`) names no source: its keyless lines go to "Imported".
    mkdirSync(join(root, 'daily', '2026-01-02'), { recursive: true })
    writeFileSync(join(root, 'daily', '2026-01-02', 'a.ndjson'), `${JSON.stringify({ type: 'track', event: 'Daily', userId: 'd', messageId: 'day-1' })}\n`)
    // A folder that happens to be named like a source, outside that layout: its lines keep their write keys.
    mkdirSync(join(root, 'keyed', 'web'), { recursive: true })
    writeFileSync(join(root, 'keyed', 'web', 's.ndjson'), `${JSON.stringify({ type: 'track', event: 'Keyed', userId: 'k', messageId: 'key-1', writeKey: 'wk_elsewhere' })}\n`)
    for (const folder of ['daily', 'keyed']) {
      const out: string[] = []
      expect(await sessionsCommand('import', [join(root, folder), '--data-dir', t.dataDir], { out: (x) => out.push(x), err: (x) => out.push(x) }), out.join('')).toBe(0)
      expect(out.join('')).toContain('1 stored')
    }
    const sources = (await t.get('/api/sources')).sources as { name: string; writeKey: string; eventCount: number }[]
    expect(sources.find((s) => s.writeKey === 'wk_imported')?.eventCount).toBe(1)
    expect(sources.find((s) => s.writeKey === 'wk_elsewhere')?.eventCount).toBe(1)
    expect(sources.find((s) => s.writeKey === 'wk_web_folder')?.eventCount).toBe(1)
  })

  it('`loupe export` writes a gzip file when the name ends in .gz', async () => {
    const t = await engine()
    await sendEvents(t, 100)
    const file = join(tempDir(), 'out.ndjson.gz')
    const out: string[] = []
    const code = await sessionsCommand('export', ['--data-dir', t.dataDir, '--type', 'identify', '--out', file], { out: (s) => out.push(s), err: (s) => out.push(s) })
    expect(code, out.join('')).toBe(0)
    expect(gunzipSync(readFileSync(file)).toString()).toBe(await exportText(t, '?type=identify'))
  })
})

const byId = (x: { messageId: string }, y: { messageId: string }): number => x.messageId.localeCompare(y.messageId)

function countArchive(folder: string): number {
  let n = 0
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(join(dir, entry.name))
      else n += gunzipSync(readFileSync(join(dir, entry.name))).toString().split('\n').filter(Boolean).length
    }
  }
  try {
    walk(folder)
  } catch {
    return 0
  }
  return n
}
