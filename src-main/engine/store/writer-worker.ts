// The store thread: the engine's one SQLite writer. It owns every write (events, sources, the search
// index, retention) so the main thread spends its time on HTTP and never waits for a lock or a commit.

import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { createCommands } from './commands'
import { applyPragmas } from './open'
import { purgeSourceEvents } from './purge'
import { Retention } from './retention'
import { SearchIndexer } from './search-index'
import { IdentityConsumer } from '../identity/consumer'
import { EventWriter, isTransient } from './writer'
import type { StoreReply, StoreRequest, StoreThreadOptions } from './writer-protocol'

const options = workerData as StoreThreadOptions
const port = parentPort!
const db = new Database(options.dbPath, { timeout: 5000, nativeBinding: options.nativeBinding })
applyPragmas(db, options.durability, 32) // enough for the hot index pages of the writes

const log = (line: string): void => port.postMessage([{ id: 0, log: line } satisfies StoreReply])
const search = new SearchIndexer(db, { log })
const identity = new IdentityConsumer(db, { log, slice: 1000 })
const writer = new EventWriter(db, {
  onFlushed: (results) => port.postMessage(results.map((r): StoreReply => ({ id: r.token, ids: r.ids, error: r.error, permanent: r.permanent }))),
  onCommit: () => {
    search.notify()
    identity.schedule.notify()
  }
})
search.schedule.yieldTo(() => !writer.idle)
identity.schedule.yieldTo(() => !writer.idle)
const retention = new Retention(db, options.retention, 5000, log)
if (options.searchIndexing === 'background') {
  search.start()
  identity.start()
}
retention.start()

// Numbered after the largest id ever given (migration 0060): a deleted source's id is never handed out again.
const insertSource = db.prepare(
  "INSERT INTO sources (id, name, write_key, auto_created, created_at) VALUES (max((SELECT coalesce(max(id), 0) FROM sources), (SELECT coalesce(max(value), 0) FROM meta WHERE key = 'max_source_id')) + 1, ?, ?, ?, ?) ON CONFLICT (write_key) DO NOTHING"
)
const renameSource = db.prepare('UPDATE sources SET name = ? WHERE id = ?')
const deleteSource = db.prepare('DELETE FROM sources WHERE id = ?')

const reply = (message: StoreReply): void => port.postMessage([message])
const commands = createCommands(db, () => identity) as Record<string, (args: unknown) => unknown>

/** Purges a deleted source's events in the background; a failure is logged and resumed at next start. */
function purge(sourceId: number): void {
  purgeSourceEvents(db, sourceId).catch((error: unknown) => log(`purging the events of deleted source ${sourceId} failed: ${String(error)}`))
}

// Events of sources deleted before a purge could finish (a stop, a crash) are purged now.
for (const sourceId of db.prepare('SELECT DISTINCT source_id FROM events WHERE source_id NOT IN (SELECT id FROM sources)').pluck().all() as number[]) {
  purge(sourceId)
}

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
        // Rows sent before this request are queued already (the main thread keeps the order): commit
        // them first, so the purge removes them too.
        writer.flush()
        deleteSource.run(request.sourceId)
        purge(request.sourceId)
        break
      case 'indexNow':
        writer.flush()
        search.catchUp()
        identity.catchUp()
        break
      case 'command': {
        const run = commands[request.name]
        if (!run) throw new Error(`unknown store command "${request.name}"`)
        writer.flush() // a command sees every event sent before it
        reply({ id: request.id, result: run(request.args) })
        return
      }
      case 'close':
        writer.close()
        search.stop()
        identity.stop()
        retention.stop()
        db.close()
        reply({ id: request.id })
        port.close()
        return
    }
    reply({ id: request.id })
  } catch (error) {
    reply({ id: request.id, error: (error as Error).message, permanent: !isTransient(error) })
  }
})
