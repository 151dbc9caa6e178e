// The store thread: the engine's one SQLite writer. It owns every write (events, sources, the search
// index, retention) so the main thread spends its time on HTTP and never waits for a lock or a commit.

import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { purgeSourceEvents } from './purge'
import { Retention } from './retention'
import { SearchIndexer } from './search-index'
import { EventWriter } from './writer'
import type { StoreReply, StoreRequest, StoreThreadOptions } from './writer-protocol'

const options = workerData as StoreThreadOptions
const port = parentPort!
const db = new Database(options.dbPath, { timeout: 5000, nativeBinding: options.nativeBinding })
db.pragma('journal_mode = WAL')
db.pragma(`synchronous = ${options.durability === 'full' ? 'FULL' : 'NORMAL'}`)
db.pragma('foreign_keys = ON')
db.pragma('cache_size = -32768') // 32 MB, enough for the hot index pages of the writes

const search = new SearchIndexer(db)
const writer = new EventWriter(db, {
  onFlushed: (results) => port.postMessage(results.map((r): StoreReply => ({ id: r.token, ids: r.ids, error: r.error }))),
  onCommit: () => search.notify()
})
search.yieldTo(() => !writer.idle)
const retention = new Retention(db, options.retention)
search.start()
retention.start()

const insertSource = db.prepare('INSERT INTO sources (name, write_key, auto_created, created_at) VALUES (?, ?, ?, ?) ON CONFLICT (write_key) DO NOTHING')
const renameSource = db.prepare('UPDATE sources SET name = ? WHERE id = ?')
const deleteSource = db.prepare('DELETE FROM sources WHERE id = ?')

const reply = (message: StoreReply): void => port.postMessage([message])

port.on('message', (request: StoreRequest) => {
  try {
    switch (request.kind) {
      case 'write':
        for (const job of request.jobs) writer.enqueue(job.id, job.rows)
        return
      case 'createSource': {
        const info = insertSource.run(request.name, request.writeKey, request.autoCreated ? 1 : 0, Date.now())
        reply({ id: request.id, ids: [info.changes === 0 ? 0 : Number(info.lastInsertRowid)] })
        return
      }
      case 'renameSource':
        renameSource.run(request.name, request.sourceId)
        break
      case 'deleteSource':
        writer.flush() // rows already queued for this source are purged too
        deleteSource.run(request.sourceId)
        void purgeSourceEvents(db, request.sourceId)
        break
      case 'indexNow':
        writer.flush()
        search.catchUp()
        break
      case 'close':
        writer.close()
        search.stop()
        retention.stop()
        db.close()
        reply({ id: request.id })
        port.close()
        return
    }
    reply({ id: request.id })
  } catch (error) {
    reply({ id: request.id, error: (error as Error).message })
  }
})
