// The main thread's handle on the store thread (writer-worker.ts): sends writes and source changes, and
// resolves each request once the thread has committed it. If the thread dies, pending requests fail with
// StoreUnavailableError (the tracking API answers 503 + Retry-After, so clients retry) and it is restarted.

import { workerEntry } from '../worker-entry'
import { Worker } from 'node:worker_threads'
import type { CommandMap, CommandName } from './command-types'
import type { CommittedEvent, EventRow } from './event-row'
import { encodeRows, type StoreReply, type StoreRequest, type StoreThreadOptions } from './writer-protocol'

/** Not `new URL(…, import.meta.url)` inline: the bundler would take that for an asset to copy. */
const HERE = import.meta.url

/** The store could not commit (disk full, I/O error, thread down): the client should retry. */
export class StoreUnavailableError extends Error {
  constructor(reason: string) {
    super(`the event store could not commit: ${reason}`)
  }
}

/** The store refused these very rows; retrying them would fail again. */
export class StoreRejectedError extends Error {
  constructor(reason: string) {
    super(`the event store refused this request: ${reason}`)
  }
}

const RESTART_MIN_MS = 500
const RESTART_MAX_MS = 30_000

export interface CommitResult {
  stored: number
  duplicates: number
}

/** Source changes that are not commands (they have their own requests). */
type SourceChange = 'sources.delete' | 'sources.rename'

type Pending = { resolve(reply: StoreReply): void; reject(error: Error): void }
type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never
type Request = WithoutId<StoreRequest>

export class StoreThread {
  private worker: Worker | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private closing = false
  private outbox: { id: number; rows: unknown[] }[] = []
  private restartTimer: NodeJS.Timeout | null = null
  private restartDelay = RESTART_MIN_MS
  private readonly commandListeners: ((name: CommandName | SourceChange) => void)[] = []

  constructor(
    private readonly options: StoreThreadOptions,
    /** Called after each write with the events it stored, in log order. */
    private readonly onCommit: (events: CommittedEvent[]) => void,
    private readonly log: (message: string) => void = () => {}
  ) {
    this.spawn()
  }

  async write(rows: EventRow[]): Promise<CommitResult> {
    const reply = await this.queueWrite(encodeRows(rows))
    const ids = reply.ids!
    const committed: CommittedEvent[] = []
    for (let i = 0; i < rows.length; i++) if (ids[i]! > 0) committed.push({ id: ids[i]!, row: rows[i]! })
    if (committed.length > 0) this.onCommit(committed)
    return { stored: committed.length, duplicates: rows.length - committed.length }
  }

  /** Resolves with the new source's id, or 0 if the write key is taken. */
  async createSource(name: string, writeKey: string, autoCreated: boolean): Promise<number> {
    return (await this.request({ kind: 'createSource', name, writeKey, autoCreated })).ids![0]!
  }

  async renameSource(sourceId: number, name: string): Promise<void> {
    await this.request({ kind: 'renameSource', sourceId, name })
    this.notify('sources.rename')
  }

  /** Deletes the source; its events are purged in the background. */
  async deleteSource(sourceId: number): Promise<void> {
    // Before as well as after: nothing read from the cache while the delete is on its way may name the source.
    this.notify('sources.delete')
    await this.request({ kind: 'deleteSource', sourceId })
    this.notify('sources.delete')
  }

  /** Runs a named write in the store thread (command-types.ts), in one transaction. */
  async command<K extends CommandName>(name: K, args: CommandMap[K]['args']): Promise<CommandMap[K]['result']> {
    const result = (await this.request({ kind: 'command', name, args })).result as CommandMap[K]['result']
    this.notify(name)
    return result
  }

  private notify(name: CommandName | SourceChange): void {
    for (const listener of this.commandListeners) listener(name)
  }

  /** Called after each command has committed (caches of what commands change are dropped there). */
  onCommand(listener: (name: CommandName | SourceChange) => void): void {
    this.commandListeners.push(listener)
  }

  /** Makes everything committed so far searchable (tests and tools; the thread does it on its own). */
  async indexNow(): Promise<void> {
    await this.request({ kind: 'indexNow' })
  }

  /** Flushes pending writes, closes the thread's connection and ends the thread. */
  async close(): Promise<void> {
    this.closing = true
    if (this.restartTimer) clearTimeout(this.restartTimer)
    this.restartTimer = null
    if (!this.worker) return
    const exited = new Promise((resolve) => this.worker!.once('exit', resolve))
    await this.request({ kind: 'close' }).catch(() => undefined)
    await exited
  }

  /** Writes of one event-loop turn travel together in one message. */
  private queueWrite(rows: unknown[]): Promise<StoreReply> {
    if (!this.worker) return Promise.reject(new StoreUnavailableError('the store thread is restarting'))
    const id = this.nextId++
    if (this.outbox.length === 0) setImmediate(() => this.sendOutbox())
    this.outbox.push({ id, rows })
    return this.awaitReply(id)
  }

  private sendOutbox(): void {
    const jobs = this.outbox
    this.outbox = []
    if (this.worker) this.worker.postMessage({ id: 0, kind: 'write', jobs } satisfies StoreRequest)
    else this.failPending('the store thread is restarting')
  }

  private request(request: Request): Promise<StoreReply> {
    const worker = this.worker
    if (!worker) return Promise.reject(new StoreUnavailableError('the store thread is restarting'))
    // Writes queued before this request go first: a source deleted now must not get rows afterwards.
    if (this.outbox.length > 0) this.sendOutbox()
    const id = this.nextId++
    const reply = this.awaitReply(id)
    worker.postMessage({ ...request, id } as StoreRequest)
    return reply
  }

  private awaitReply(id: number): Promise<StoreReply> {
    return new Promise<StoreReply>((resolve, reject) => this.pending.set(id, { resolve, reject })).then((answer) => {
      if (answer.error !== undefined) throw answer.permanent ? new StoreRejectedError(answer.error) : new StoreUnavailableError(answer.error)
      return answer
    })
  }

  private spawn(): void {
    this.restartTimer = null
    if (this.closing) return
    const entry = workerEntry(new URL('./writer-worker.ts', HERE), 'writer-worker')
    const worker = new Worker(entry.file, { workerData: { ...this.options, entry: entry.tsEntry } })
    worker.on('message', (replies: StoreReply[]) => {
      this.restartDelay = RESTART_MIN_MS // it works: a later crash restarts quickly again
      for (const reply of replies) {
        if (reply.log !== undefined) this.log(reply.log)
        const pending = this.pending.get(reply.id)
        this.pending.delete(reply.id)
        pending?.resolve(reply)
      }
    })
    worker.on('error', (error) => this.log(`store thread failed: ${error.stack ?? error.message}`))
    worker.on('exit', (code) => {
      this.worker = null
      this.failPending(`the store thread exited (code ${code})`)
      if (!this.closing) {
        this.log(`store thread exited with code ${code}; restarting it in ${this.restartDelay} ms`)
        this.restartTimer = setTimeout(() => this.spawn(), this.restartDelay)
        this.restartTimer.unref()
        this.restartDelay = Math.min(this.restartDelay * 2, RESTART_MAX_MS)
      }
    })
    this.worker = worker
  }

  private failPending(reason: string): void {
    const error = new StoreUnavailableError(reason)
    for (const pending of this.pending.values()) pending.reject(error)
    this.pending.clear()
  }
}
