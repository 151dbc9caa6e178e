// The line reader's thread: reads a destination's log on its own SQLite connection and builds the archive's
// lines from the stored text (outgoing-line.ts), so the main thread only hands them to the driver. Reading
// and building were two thirds of the main thread's work per archived event; here they run beside it on the
// other core, one batch ahead.
//
// Threat model: the payloads it reads are attacker-controlled text; it only copies them into lines (the same
// builder the main thread uses, which gives up on anything unusual) and never parses them into code paths of
// its own. Its requests come from the main thread only, with fixed SQL and bound parameters. The connection is
// query_only: a bug here can make a wrong line, never change the database.

import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { OutgoingLog, toOutgoingRow } from '../store/outgoing-log'
import type { LineReadReply, LineReadRequest, LineReadRow, LineReaderOptions } from './line-protocol'
import { rowLine } from './outgoing-line'

const options = workerData as LineReaderOptions
const db = new Database(options.dbPath, { fileMustExist: true, timeout: 5000, nativeBinding: options.nativeBinding })
db.pragma('query_only = ON')
db.pragma('cache_size = -8192')
const log = new OutgoingLog(db)

parentPort!.on('message', (request: LineReadRequest | 'close') => {
  if (request === 'close') {
    db.close()
    parentPort!.close()
    return
  }
  let reply: LineReadReply
  try {
    const rows: LineReadRow[] = []
    for (const columns of log.next(request.destinationId, request.after, request.limit)) {
      const line = rowLine(toOutgoingRow(columns), request.integrationNames)
      rows.push(line === null ? columns : [columns[0], columns[1], columns[4], line])
    }
    reply = { id: request.id, rows }
  } catch (error) {
    reply = { id: request.id, error: (error as Error).message }
  }
  parentPort!.postMessage(reply)
})
