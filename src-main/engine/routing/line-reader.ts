// The main thread's handle on the line reader's thread (line-reader-thread.ts), started on first use. A read
// answers null whenever the thread cannot (not started, crashed, closing): the destination worker then reads
// on the main thread as it always could, so the thread only ever makes delivery faster, never stops it.

import { Worker } from 'node:worker_threads'
import { workerEntry } from '../worker-entry'
import type { LineReadReply, LineReadRow, LineReaderOptions } from './line-protocol'

/** After the thread failed, how long reads stay on the main thread before it is started again. */
const RESTART_AFTER_MS = 5000
/** How long close() waits for the thread to close its connection before ending it. */
const CLOSE_WAIT_MS = 2000

/** Not `new URL(…, import.meta.url)` inline: the bundler would take that for an asset to copy. */
const HERE = import.meta.url

export class LineReader {
  private worker: Worker | null = null
  private readonly pending = new Map<number, (rows: LineReadRow[] | null) => void>()
  private nextId = 1
  private closed = false
  private failedAt = -Infinity
  /** A failure was reported and the thread has not answered since. */
  private quiet = false

  constructor(private readonly options: LineReaderOptions, private readonly log: (message: string) => void) {}

  /** The destination's next rows, lines built where they could be; null: read them on the main thread. */
  read(destinationId: number, after: number, limit: number, integrationNames: readonly string[]): Promise<LineReadRow[] | null> {
    const worker = this.running()
    if (worker === null) return Promise.resolve(null)
    const id = this.nextId++
    return new Promise((resolve) => {
      this.pending.set(id, resolve)
      worker.postMessage({ id, destinationId, after, limit, integrationNames: [...integrationNames] })
    })
  }

  async close(): Promise<void> {
    this.closed = true
    const worker = this.worker
    if (worker === null) return
    const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()))
    worker.postMessage('close')
    const timer = setTimeout(() => void worker.terminate(), CLOSE_WAIT_MS)
    await exited
    clearTimeout(timer)
  }

  private running(): Worker | null {
    if (this.worker !== null) return this.worker
    if (this.closed || Date.now() - this.failedAt < RESTART_AFTER_MS) return null
    try {
      const entry = workerEntry(new URL('./line-reader-thread.ts', HERE), 'line-reader')
      const worker = new Worker(entry.file, { workerData: { ...this.options, entry: entry.tsEntry } })
      // The engine closes it; it must never be what keeps a process alive.
      worker.unref()
      worker.on('message', (reply: LineReadReply) => {
        const resolve = this.pending.get(reply.id)
        this.pending.delete(reply.id)
        if ('error' in reply) this.log(`line reader: ${reply.error}`)
        resolve?.('rows' in reply ? reply.rows : null)
      })
      worker.on('message', () => (this.quiet = false))
      // One report per run of failures (it is started again every few seconds while it keeps failing).
      worker.on('error', (error) => {
        if (!this.quiet) this.log(`line reader failed: ${error.stack ?? error.message} (the main thread reads instead)`)
        this.quiet = true
      })
      worker.on('exit', () => {
        this.worker = null
        if (!this.closed) this.failedAt = Date.now()
        for (const resolve of this.pending.values()) resolve(null)
        this.pending.clear()
      })
      this.worker = worker
      return worker
    } catch (error) {
      this.failedAt = Date.now()
      this.log(`line reader could not start: ${(error as Error).message}`)
      return null
    }
  }
}
