// EventQueries on a real SQLite file, with rows written by the writer and indexed by the indexer.

import type { Database } from 'better-sqlite3'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { EventRow } from './event-row'
import { useTempDirs } from '../test-temp-dirs'
import { EventQueries, type EventSearch } from './events-query'
import { openDatabase } from './open'
import { SearchIndexer } from './search-index'
import { EventWriter } from './writer'
import { encodeRows } from './writer-protocol'

const tempDir = useTempDirs('loupe-query-')

async function store(rows: Partial<EventRow>[]): Promise<Database> {
  const { db } = await openDatabase(join(tempDir(), 'q.db'), { durability: 'normal' })
  db.prepare("INSERT INTO sources (name, write_key, created_at) VALUES ('a', 'ka', 0), ('b', 'kb', 0)").run()
  const writer = new EventWriter(db, { onFlushed: () => {} })
  writer.enqueue(1, encodeRows(rows.map((r, i) => ({
    sourceId: 1, type: 'track', name: 'E', userId: null, anonymousId: null, messageId: `m-${i}`, messageIdGenerated: false,
    receivedAt: 1000 + i, timestamp: 1000 + i, originalTimestamp: null, sentAt: null, size: 2, warnings: null, payload: '{}', ...r
  }))))
  writer.flush()
  new SearchIndexer(db).catchUp()
  return db
}

/** Every event of a search, following cursors (at most 100 pages). */
function all(queries: EventQueries, search: Omit<EventSearch, 'limit'>, limit = 2): string[] {
  const out: string[] = []
  let before: number | undefined
  for (let page = 0; page < 100; page++) {
    const result = queries.search({ ...search, limit, ...(before !== undefined ? { before } : {}) })
    out.push(...result.events.map((e) => e.messageId))
    if (!result.nextCursor) return out
    before = Number(Buffer.from(result.nextCursor, 'base64url').toString().split(':')[1])
  }
  throw new Error('no end of pages')
}

describe('EventQueries', () => {
  it('lists an event once when its userId and anonymousId are the same (user=…)', async () => {
    const db = await store([{ userId: 'same', anonymousId: 'same' }, { userId: 'same', anonymousId: 'other' }, { userId: 'x', anonymousId: 'same' }])
    const queries = new EventQueries(db, () => 3)
    expect(all(queries, { user: 'same' })).toEqual(['m-2', 'm-1', 'm-0'])
    db.close()
  })

  it('goes on past a full-text walk that ran out of budget, and finds a rare match under many others', async () => {
    const rows: Partial<EventRow>[] = [{ sourceId: 2, payload: '{"note":"common thing"}' }]
    for (let i = 0; i < 300; i++) rows.push({ sourceId: 1, payload: '{"note":"common thing"}' })
    const db = await store(rows)
    // Tiny budget: 10 rowids per chunk, 3 chunks per page.
    const queries = new EventQueries(db, () => 301, { ftsChunk: 10, ftsMaxChunks: 3 })
    const first = queries.search({ q: 'common', source: 2, limit: 5 })
    expect(first.events).toEqual([])
    expect(first.nextCursor).not.toBeNull()
    expect(all(queries, { q: 'common', source: 2 }, 5)).toEqual(['m-0'])
    db.close()
  })

  it('bounds a full-text walk by `to`', async () => {
    const db = await store([{ payload: '{"w":"needle"}' }, { payload: '{"w":"needle"}' }, { payload: '{"w":"needle"}' }])
    const queries = new EventQueries(db, () => 3)
    expect(all(queries, { q: 'needle', to: 1002 })).toEqual(['m-1', 'm-0'])
    expect(queries.explain({ q: 'needle', to: 1002, limit: 5 }).join(' ')).toMatch(/VIRTUAL TABLE/)
    db.close()
  })
})
