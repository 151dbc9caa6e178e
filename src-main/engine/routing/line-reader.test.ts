// The line reader's thread: it must build exactly the lines the main thread would (or hand back the row when
// the main thread must decide), and a reader that cannot answer must only send reads back to the main thread.

import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gunzipSync } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StoreThread } from '../store/store-thread'
import type { DestinationReads, OutgoingRow } from '../store/destinations'
import { readJson, startTestEngine, type TestEngine } from '../test-engine'
import { useTempDirs } from '../test-temp-dirs'
import { DeliveryRules } from './delivery-rules'
import { DestinationWorker } from './destination-worker'
import { LineReader } from './line-reader'
import { testDeps, testDestination } from './test-worker'
import { rowLine } from './outgoing-line'

let t: TestEngine
const tempDir = useTempDirs('loupe-line-reader-')
/** The messageIds the archive holds for source "Web" on 2026-01-02, in file order. */
function archivedIds(folder: string): string[] {
  const day = join(folder, 'web', '2026-01-02')
  return readdirSync(day).flatMap((file) => gunzipSync(readFileSync(join(day, file))).toString().split('\n').filter(Boolean).map((line) => JSON.parse(line).messageId))
}

const json = (method: string, body: unknown): RequestInit => ({ method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

describe('line reader', () => {
  it('reads the log on its thread and builds the lines the main thread would, handing back rows it cannot', async () => {
    const source = (await readJson(await t.admin('/api/sources', json('POST', { name: 'Reader', writeKey: 'wk_line_reader' })))).id
    const destination = (await readJson(await t.admin('/api/destinations', json('POST', { name: 'Archive', kind: 'file', enabled: false, settings: { folder: tempDir() }, sourceIds: [source] })))).id
    const batch = [
      { type: 'track', event: 'Plain', userId: 'u1', messageId: 'lr-1', properties: { a: 1 } },
      { type: 'identify', userId: 'u2', messageId: 'lr-2', traits: { plan: 'pro' }, writeKey: 'wk_line_reader' },
      // Turns this destination off: the row comes back whole, for the main thread's rules.
      { type: 'track', event: 'Off', userId: 'u3', messageId: 'lr-3', integrations: { Archive: false } }
    ]
    expect((await t.track('/v1/batch', { batch }, 'wk_line_reader')).status).toBe(200)

    const names = ['File', 'Files', 'Archive']
    const reader = new LineReader({ dbPath: t.engine.dbPath }, () => {})
    try {
      const read = await reader.read(destination, 0, 10, names)
      expect(read).not.toBeNull()
      const mainThread = t.engine.context.destinations.nextEvents(destination, 0, 10)
      expect(read!.map((row) => row[0])).toEqual(mainThread.map((row) => row.id))
      const rules = new DeliveryRules({ filters: [], consentCategories: [] }, names)
      read!.forEach((row, i) => {
        const line = rules.line(mainThread[i]!)
        if (line === null) expect(row).toHaveLength(12)
        else expect(row).toEqual([mainThread[i]!.id, source, mainThread[i]!.received_at, line])
      })
      expect(read!.filter((row) => row.length === 12)).toHaveLength(1)
      // Past the end: nothing; after close: the main thread reads.
      expect(await reader.read(destination, mainThread[2]!.id, 10, names)).toEqual([])
    } finally {
      await reader.close()
    }
    expect(await reader.read(destination, 0, 10, names)).toBeNull()
  })

  it('answers null when its thread cannot start, and the destination still delivers from the main thread', async () => {
    const logged: string[] = []
    const broken = new LineReader({ dbPath: join(tempDir(), 'missing.db') }, (message) => logged.push(message))
    expect(await broken.read(1, 0, 10, [])).toBeNull()
    expect(logged.join('\n')).toMatch(/line reader failed/)

    const folder = tempDir()
    const row: OutgoingRow = { id: 3, source_id: 1, type: 'track', message_id: 'm-3', received_at: Date.UTC(2026, 0, 2), timestamp: 1, original_timestamp: null, sent_at: null, payload: '{"type":"track","event":"E","messageId":"m-3"}' }
    let cursor = 0
    const reads = { cursorOf: () => cursor, nextEvents: (_: number, after: number) => (after < 3 ? [row] : []) } as unknown as DestinationReads
    const store = { command: async (_name: string, args: { cursor: number | null }) => ((cursor = args.cursor ?? cursor), 1) } as unknown as StoreThread
    const worker = new DestinationWorker(testDestination({ name: 'Archive', kind: 'file', settings: { folder } }), testDeps({ reads, store, lineReader: broken }, 'Web'))
    try {
      worker.wake()
      await expect.poll(() => cursor, { timeout: 5000 }).toBe(3)
      expect(archivedIds(folder)).toEqual(['m-3'])
    } finally {
      await worker.stop()
      await broken.close()
    }
  })
})

describe('read-ahead', () => {
  it('is read again after the destination changes while a batch is written (a rename turns the next event off)', async () => {
    const folder = tempDir()
    const row = (id: number, payload: string): OutgoingRow => ({ id, source_id: 1, type: 'track', message_id: `m-${id}`, received_at: Date.UTC(2026, 0, 2), timestamp: 1, original_timestamp: null, sent_at: null, payload, quarantine: 0, protocols: null, pii: '' })
    const log = [row(1, '{"type":"track","event":"A","messageId":"m-1"}'), row(2, '{"type":"track","event":"B","messageId":"m-2","integrations":{"Renamed":false}}')]
    let cursor = 0
    const next = (after: number): OutgoingRow[] => log.filter((r) => r.id > after).slice(0, 1)
    const reads = { cursorOf: () => cursor, nextEvents: (_: number, after: number) => next(after) } as unknown as DestinationReads
    const store = { command: async (_name: string, args: { cursor: number | null }) => ((cursor = args.cursor ?? cursor), 1) } as unknown as StoreThread
    // Builds lines as the thread does, one row per read, for the names it is given at the time of the read.
    const lineReader = {
      read: async (_id: number, after: number, _limit: number, names: readonly string[]) =>
        next(after).map((r) => {
          const line = rowLine(r, names)
          return line === null ? [r.id, r.source_id, r.type, r.message_id, r.received_at, r.timestamp, r.original_timestamp, r.sent_at, r.payload, r.quarantine, r.protocols, r.pii] : [r.id, r.source_id, r.received_at, line]
        })
    } as unknown as LineReader
    const destination = testDestination({ name: 'Archive', kind: 'file', settings: { folder } })
    let renamed = false
    const worker: DestinationWorker = new DestinationWorker(destination, {
      ...testDeps({ reads, store, lineReader }),
      // The rename lands while the first batch is being written, after the next one was read ahead.
      driverEnv: (destinationId) => ({ actionsRedirect: null, destinationId, sourceName: () => ((renamed ||= (setImmediate(() => worker.update({ ...destination, name: 'Renamed' })), true)), 'Web') })
    })
    try {
      worker.wake()
      await expect.poll(() => cursor, { timeout: 5000 }).toBe(2)
      expect(archivedIds(folder)).toEqual(['m-1'])
    } finally {
      await worker.stop()
    }
  })
})
