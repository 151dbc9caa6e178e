// `COPY … FROM STDIN` on a client (pg-copy-streams), fed chunk by chunk: the next chunk is handed over only
// when the socket took the last one, so a big table never sits twice in memory as one buffer.

import type pg from 'pg'
import { from as copyFrom } from 'pg-copy-streams'

/**
 * Runs `sql` (a COPY FROM STDIN) with `chunks` as its data; resolves with the rows copied once the server
 * confirmed them. A value the server refuses (a hand-made column's type, an over-long varchar) rejects with
 * PostgreSQL's error, and the client is ready for the next statement (the caller's ROLLBACK).
 */
export function copyIn(client: pg.PoolClient, sql: string, chunks: readonly Buffer[]): Promise<number> {
  const stream = client.query(copyFrom(sql))
  return new Promise<number>((resolve, reject) => {
    // The stream is never destroyed here: after a server error pg-copy-streams has let go of the connection,
    // and destroying it would try to send CopyFail on it. The server ignores whatever data is still in flight.
    let failed = false
    stream.on('error', (error) => {
      failed = true
      reject(error)
    })
    stream.once('finish', () => resolve(stream.rowCount))
    let next = 0
    const write = (): void => {
      while (!failed && next < chunks.length) {
        if (!stream.write(chunks[next++]!)) {
          stream.once('drain', write)
          return
        }
      }
      if (!failed) stream.end()
    }
    write()
  })
}
