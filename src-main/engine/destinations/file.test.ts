// The file destination end to end: a real engine writes the archive into a temp folder; the test reads the
// files back the way a user would (gunzip, one JSON event per line).

import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { join, relative } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DeliveryAttempt, Destination } from '../../../src-shared/api'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'

let t: TestEngine
const tempDir = useTempDirs('loupe-file-dest-')

const json = (body: unknown): RequestInit => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

async function source(name: string, writeKey: string): Promise<number> {
  const res = await t.admin('/api/sources', { method: 'POST', ...json({ name, writeKey }) })
  return (await readJson(res)).id
}

async function fileDestination(settings: Record<string, unknown>, sourceIds: number[]): Promise<Destination> {
  const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Archive', kind: 'file', settings, sourceIds }) })
  expect(res.status, JSON.stringify(await res.clone().json())).toBe(201)
  return readJson(res)
}

async function attempts(id: number): Promise<DeliveryAttempt[]> {
  return (await t.get(`/api/destinations/${id}/attempts?limit=500`)).attempts
}

/** Every archive file under `folder`, relative to it, sorted (names sort by creation time). */
function archiveFiles(folder: string): string[] {
  const found: string[] = []
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name)
      if (entry.isDirectory()) walk(path)
      else found.push(relative(folder, path))
    }
  }
  try {
    walk(folder)
  } catch {
    return []
  }
  return found.sort()
}

function readEvents(path: string): any[] {
  const raw = readFileSync(path)
  const text = path.endsWith('.gz') ? gunzipSync(raw).toString('utf8') : raw.toString('utf8')
  return text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line))
}

function allEvents(folder: string): any[] {
  return archiveFiles(folder).flatMap((file) => readEvents(join(folder, file)))
}

const track = (id: string, extra: Record<string, unknown> = {}) => ({ type: 'track', event: 'Archived', userId: 'u1', messageId: id, properties: { id }, ...extra })
const day = /^\d{4}-\d{2}-\d{2}$/

beforeAll(async () => {
  t = await startTestEngine({}, (config) => {
    config.routing.backoffBaseMs = 50
    config.routing.backoffMaxMs = 200
  })
})
afterAll(async () => {
  await t.stop()
})
afterEach(async () => {
  for (const d of (await t.get('/api/destinations')).destinations) await t.admin(`/api/destinations/${d.id}`, { method: 'DELETE' })
})

describe('file destination', () => {
  it('archives each event as one gzipped JSON line, partitioned by source and receivedAt day', async () => {
    const folder = join(tempDir(), 'archive')
    const web = await source('Web Site', 'wk_file_web')
    const ios = await source('../iOS app', 'wk_file_ios')
    const d = await fileDestination({ folder }, [web, ios])
    await t.track('/v1/batch', { batch: [track('w-1'), track('w-2', { properties: { text: 'two\nlines "quoted"' } })] }, 'wk_file_web')
    await t.track('/v1/track', track('i-1'), 'wk_file_ios')

    await expect.poll(() => allEvents(folder).length).toBe(3)
    const files = archiveFiles(folder)
    for (const file of files) expect(file).toMatch(/^(web-site|ios-app)\/\d{4}-\d{2}-\d{2}\/\d{8}T\d{9}Z-\d+\.ndjson\.gz$/)
    const webFiles = files.filter((f) => f.startsWith('web-site/'))
    const webEvents = webFiles.flatMap((f) => readEvents(join(folder, f)))
    expect(webEvents.map((e) => e.messageId)).toEqual(['w-1', 'w-2'])
    expect(webEvents[1]).toMatchObject({ type: 'track', event: 'Archived', userId: 'u1', properties: { text: 'two\nlines "quoted"' }, receivedAt: expect.any(String) })
    expect(webEvents[0].writeKey).toBeUndefined()
    // The day folder is the UTC day of the event's receivedAt.
    expect(webFiles[0]!.split('/')[1]).toBe(webEvents[0].receivedAt.slice(0, 10))
    const iosFiles = files.filter((f) => f.startsWith('ios-app/'))
    expect(iosFiles.flatMap((f) => readEvents(join(folder, f))).map((e) => e.messageId)).toEqual(['i-1'])
    expect(statSync(join(folder, files[0]!)).mode & 0o777).toBe(0o600)

    await expect.poll(async () => (await attempts(d.id)).filter((a) => a.outcome === 'delivered').reduce((n, a) => n + a.sent, 0)).toBe(3)
    expect((await attempts(d.id))[0]).toMatchObject({ httpStatus: 200, requestSample: expect.stringMatching(/^append \d events? to .*\.ndjson\.gz/) })
  })

  it('appends later batches to the same file (several gzip members) and can write plain NDJSON by day', async () => {
    const gzFolder = tempDir()
    const plainFolder = tempDir()
    const src = await source('Server', 'wk_file_members')
    // Two batches in flight by default: one compressed and fsynced while the next is read and built.
    expect((await fileDestination({ folder: gzFolder }, [src])).limits).toEqual({ maxInFlight: 2, eventsPerSecond: null })
    await fileDestination({ folder: plainFolder, gzip: false, partition: 'day' }, [src])
    for (let i = 0; i < 3; i++) {
      await t.track('/v1/track', track(`m-${i}`), 'wk_file_members')
      await expect.poll(() => allEvents(gzFolder).length).toBe(i + 1)
    }
    expect(archiveFiles(gzFolder)).toHaveLength(1)
    expect(allEvents(gzFolder).map((e) => e.messageId)).toEqual(['m-0', 'm-1', 'm-2'])

    await expect.poll(() => allEvents(plainFolder).length).toBe(3)
    const plain = archiveFiles(plainFolder)
    expect(plain.every((f) => day.test(f.split('/')[0]!) && f.endsWith('.ndjson') && f.split('/').length === 2)).toBe(true)
    expect(allEvents(plainFolder).map((e) => e.messageId)).toEqual(['m-0', 'm-1', 'm-2'])
  })

  it('keeps the order of the log with several batches in flight (each compressed while others are written)', async () => {
    const folder = tempDir()
    const src = await source('Ordered', 'wk_file_order')
    const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Ordered', kind: 'file', enabled: false, settings: { folder }, sourceIds: [src], limits: { maxInFlight: 4 } }) })
    expect(res.status).toBe(201)
    const d = (await readJson(res)) as Destination
    const ids = Array.from({ length: 4000 }, (_, i) => `o-${String(i).padStart(5, '0')}`)
    // The first batch (1,000 events) is heavy to compress, the ones behind it light: written in order all the same.
    for (let at = 0; at < ids.length; at += 500) {
      const batch = ids.slice(at, at + 500).map((id) => track(id, { properties: { id, pad: at < 1000 ? randomBytes(600).toString('base64') : '' } }))
      expect((await t.track('/v1/batch', { batch }, 'wk_file_order')).status).toBe(200)
    }
    expect((await t.admin(`/api/destinations/${d.id}`, { method: 'PATCH', ...json({ enabled: true }) })).status).toBe(200)
    await expect.poll(() => allEvents(folder).length, { timeout: 10_000 }).toBe(ids.length)
    expect(allEvents(folder).map((e) => e.messageId)).toEqual(ids)
  })

  it('rotates to a new file once the current one reaches rotateBytes', async () => {
    const folder = tempDir()
    const src = await source('Rotating', 'wk_file_rotate')
    await fileDestination({ folder, rotateBytes: 1024 }, [src])
    // Random padding does not compress, so every batch alone fills a 1 KB file.
    const batch = (n: number) => Array.from({ length: 20 }, (_, i) => track(`rot-${n}-${i}`, { properties: { pad: randomBytes(150).toString('hex') } }))
    for (let n = 0; n < 5; n++) {
      await t.track('/v1/batch', { batch: batch(n) }, 'wk_file_rotate')
      await expect.poll(() => allEvents(folder).length).toBe((n + 1) * 20)
    }
    const files = archiveFiles(folder)
    expect(files.length).toBeGreaterThanOrEqual(5)
    expect(files.slice(0, -1).every((f) => statSync(join(folder, f)).size >= 1024)).toBe(true)
    const ids = allEvents(folder).map((e) => e.messageId)
    expect(ids).toHaveLength(100)
    expect(new Set(ids).size).toBe(100)
  })

  it('retries while the folder cannot be created, then delivers once it can', async () => {
    const root = tempDir()
    // A file where a folder should be: fails even for root, unlike file permissions.
    const blocker = join(root, 'blocked')
    writeFileSync(blocker, 'not a folder')
    const folder = join(blocker, 'archive')
    const src = await source('Blocked', 'wk_file_blocked')
    const d = await fileDestination({ folder }, [src])
    await t.track('/v1/batch', { batch: [track('b-1'), track('b-2')] }, 'wk_file_blocked')

    await expect.poll(async () => (await attempts(d.id)).filter((a) => a.outcome === 'retry').length).toBeGreaterThanOrEqual(2)
    const retry = (await attempts(d.id)).find((a) => a.outcome === 'retry')!
    expect(retry).toMatchObject({ httpStatus: null, error: expect.stringContaining(`cannot create the folder ${folder}`) })

    rmSync(blocker)
    mkdirSync(blocker)
    await expect.poll(() => allEvents(folder).map((e) => e.messageId), { timeout: 10_000 }).toEqual(['b-1', 'b-2'])
    await expect.poll(async () => (await attempts(d.id))[0]?.outcome).toBe('delivered')
  })

  it('makes the folder again when it is removed while Loupe runs', async () => {
    const folder = join(tempDir(), 'archive')
    const src = await source('Removed', 'wk_file_removed')
    await fileDestination({ folder, partition: 'day' }, [src])
    await t.track('/v1/track', track('gone-1'), 'wk_file_removed')
    await expect.poll(() => allEvents(folder).length).toBe(1)
    rmSync(folder, { recursive: true })
    await t.track('/v1/track', track('gone-2'), 'wk_file_removed')
    await expect.poll(() => allEvents(folder).map((e) => e.messageId), { timeout: 10_000 }).toEqual(['gone-2'])
  })

  it('removes a file a privacy deletion empties, and writes the next events to a new one', async () => {
    const folder = tempDir()
    const src = await source('Forgotten', 'wk_file_forget')
    await fileDestination({ folder }, [src])
    await t.track('/v1/batch', { batch: [track('fg-1', { userId: 'gone' }), track('fg-2', { userId: 'gone' })] }, 'wk_file_forget')
    await expect.poll(() => allEvents(folder).length).toBe(2)
    const started = await readJson(await t.admin('/api/privacy/deletions', { method: 'POST', ...json({ userId: 'gone', confirm: true }) }))
    await expect.poll(async () => (await t.get(`/api/privacy/deletions/${started.id}`)).state).toBe('done')
    expect((await t.get(`/api/privacy/deletions/${started.id}`)).archiveLines).toBe(2)
    // No empty .ndjson.gz is left behind: the file is gone.
    expect(archiveFiles(folder)).toEqual([])
    await t.track('/v1/track', track('fg-3', { userId: 'stays' }), 'wk_file_forget')
    await expect.poll(() => allEvents(folder).map((e) => e.messageId)).toEqual(['fg-3'])
  })

  it('refuses settings it cannot use, naming the field', async () => {
    const src = await source('Invalid', 'wk_file_invalid')
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'settings.folder'],
      [{ folder: 'relative/archive' }, 'settings.folder'],
      [{ folder: '/tmp/a\0b' }, 'settings.folder'],
      [{ folder: '/tmp/a', gzip: 'yes' }, 'settings.gzip'],
      [{ folder: '/tmp/a', rotateBytes: 100 }, 'settings.rotateBytes'],
      [{ folder: '/tmp/a', rotateBytes: 1.5e10 }, 'settings.rotateBytes'],
      [{ folder: '/tmp/a', rotateBytes: 2048.5 }, 'settings.rotateBytes'],
      [{ folder: '/tmp/a', partition: 'month' }, 'settings.partition'],
      [{ folder: '/tmp/a', bucket: 's3://x' }, 'settings.bucket']
    ]
    for (const [settings, field] of cases) {
      const res = await t.admin('/api/destinations', { method: 'POST', ...json({ name: 'Bad', kind: 'file', settings, sourceIds: [src] }) })
      expect(res.status, JSON.stringify(settings)).toBe(400)
      expect(await res.json()).toMatchObject({ error: { code: 'ERR_ADMIN_INVALID_BODY', field } })
    }
    const ok = await fileDestination({ folder: '/tmp/loupe-never-written/../archive', rotateBytes: 1024, partition: 'day', gzip: false }, [src])
    expect(ok.settings).toEqual({ folder: '/tmp/archive', rotateBytes: 1024, partition: 'day', gzip: false })
  })
})
