// The file destination: the local archive. Each event becomes one JSON line in NDJSON files under a folder,
// partitioned by source and UTC day (Segment's archive shape), gzipped by default. A batch is appended as one
// gzip member per file (a multi-member gzip file is valid gzip; zcat and gunzip read it whole) and fsynced
// before send() returns, so "delivered" means on disk. Failures (disk full, permissions) come back as "no
// answer", which the router retries.

import { mkdir, open } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { gzip as gzipCallback } from 'node:zlib'
import { ndjsonBytes } from './ndjson-bytes'
import type { FileSettings } from '../../../src-shared/api'
import { eventLine, sample, type DestinationDriver, type DriverEnv, type EventLine, type ForgetUser, type SegmentEvent, type SendResult } from './driver'
import { fileName, partitionSegments, sourceSegment, utcDay } from './file-paths'
import { removeArchiveLines } from './file-rewrite'
import { syncDir } from './sync-dir'

const gzip = promisify(gzipCallback)

export const DEFAULT_ROTATE_BYTES = 100 * 1024 * 1024
/** Rows per send: large batches keep the fsync per batch from bounding throughput. */
export const FILE_BATCH_SIZE = 1000
/**
 * zlib's fastest level: about 40 % more events per second than the default (6) for files about 14 % larger
 * (measured: 100k events of ~560 bytes, 3.8 MB vs 3.3 MB) — the archive is written all day, read rarely.
 */
const GZIP_LEVEL = 1
/** Lines per gzip member (~140 KB of NDJSON): big enough to compress well, small enough to spread over cores. */
const MEMBER_LINES = 250
/** Lines of each file a replay dry run shows. */
const DESCRIBE_LINES = 5
/** Partitions remembered at once; older ones (yesterday's days) are simply started afresh if seen again. */
const MAX_OPEN_PARTITIONS = 256

/** The archive holds the same personal data as the database, so it gets the data dir's permissions. */
const DIR_MODE = 0o700
const FILE_MODE = 0o600

interface CurrentFile {
  path: string
  bytes: number
}

export function fileDriver(name: string, settings: FileSettings, env: DriverEnv): DestinationDriver {
  const compress = settings.gzip ?? true
  const rotateBytes = settings.rotateBytes ?? DEFAULT_ROTATE_BYTES
  const current = new Map<string, CurrentFile>()
  let seq = 0
  // Sends touching the same file must not interleave; writes are serialised, compression is not. `queue`
  // resolves to whether the last write landed.
  let queue: Promise<boolean> = Promise.resolve(true)
  /** Writes queued and not yet done. */
  let queued = 0

  async function append(dir: string, data: Buffer, now: number): Promise<string> {
    let file = current.get(dir)
    if (!file) {
      file = { path: await createFile(dir, () => fileName(now, ++seq, compress)), bytes: 0 }
      current.set(dir, file)
      if (current.size > MAX_OPEN_PARTITIONS) current.delete(current.keys().next().value!)
    }
    const handle = await open(file.path, 'a', FILE_MODE).catch((error: unknown) => {
      // Moved or deleted under us: the retry makes the folder and a new file again.
      current.delete(dir)
      throw error
    })
    try {
      await handle.appendFile(data)
      await handle.datasync()
    } catch (error) {
      // Cut a half-written gzip member off so the file stays readable; the retry starts a fresh file.
      current.delete(dir)
      await handle.truncate(file.bytes).catch(() => undefined)
      throw error
    } finally {
      await handle.close()
    }
    file.bytes += data.length
    if (file.bytes >= rotateBytes) current.delete(dir)
    return file.path
  }

  /** `receivedAt` and `line` read an item: an event (serialized here) or a line the router made. */
  async function write<T>(items: T[], receivedAt: (item: T) => unknown, line: (item: T) => string, signal: AbortSignal, sourceIds: number[]): Promise<SendResult> {
    if (signal.aborted) return failed('stopped before writing')
    const now = Date.now()
    const groups = groupByPartition(items, receivedAt, sourceIds, settings, env, now)
    let files: string[] = []
    try {
      // Compression starts now; the write takes its place in the queue now too, so batches in flight land in
      // the order they were sent, whichever finished compressing first.
      const encoded = Promise.all([...groups].map(async ([dir, group]) => ({ dir, data: await encode(group, line, compress) })))
      encoded.catch(() => undefined)
      // Queued behind a write still running: if that one fails, this one must not land before its retry (the
      // worker sends both again, in order), so it fails too. Queued on an idle queue (a retry): it goes ahead.
      const behind = queued > 0
      queued++
      const write = queue.then(async (landed) => {
        if (behind && !landed) throw new Error('an earlier batch could not be written; this one is written again after it')
        const chunks = await encoded
        files = []
        for (const { dir, data } of chunks) files.push(await append(dir, data, now))
      })
      queue = write.then(
        () => true,
        () => false
      )
      void queue.then(() => queued--)
      await write
    } catch (error) {
      return failed(describe(error))
    }
    return { status: 200, error: null, retryAfterMs: null, requestSample: sample(`append ${items.length} events to ${files.join(', ')}`), responseSample: null }
  }

  function sendLines(lines: EventLine[], signal: AbortSignal, sourceIds: number[]): Promise<SendResult> {
    return write(lines, (line) => line.receivedAt, (line) => line.json, signal, sourceIds)
  }

  return {
    batchSize: FILE_BATCH_SIZE,
    keepsData: true,
    integrationNames: ['File', 'Files', name],
    send(events: SegmentEvent[], signal: AbortSignal, sourceIds: number[]): Promise<SendResult> {
      return sendLines(events.map(eventLine), signal, sourceIds)
    },
    sendLines,
    describe(events: SegmentEvent[], sourceIds: number[]): string {
      const groups = groupByPartition(events.map(eventLine), (line) => line.receivedAt, sourceIds, settings, env, Date.now())
      return [...groups]
        .map(([dir, group]) => {
          // The file now being appended to when there is one; else send() starts a new one in that folder.
          const target = current.get(dir)?.path ?? join(dir, `…${compress ? '.ndjson.gz' : '.ndjson'}`)
          const shown = group.slice(0, DESCRIBE_LINES).map((line) => sample(line.json, 1000))
          const more = group.length - shown.length
          return [`append ${group.length} ${group.length === 1 ? 'event' : 'events'} to ${target}${compress ? ' (gzip)' : ''}`, ...shown, ...(more > 0 ? [`… and ${more} more`] : [])].join('\n')
        })
        .join('\n\n')
    },
    async forgetUser(who: ForgetUser): Promise<number> {
      // In the write queue: no batch is appended while a file is being replaced.
      // Clients send ids as numbers too: the archive keeps the payload as sent.
      const before = who.before
      const matches = (event: SegmentEvent): boolean =>
        event[who.kind] !== undefined && event[who.kind] !== null && String(event[who.kind]) === who.id && (before === undefined || Date.parse(String(event.receivedAt)) < before)
      const run = queue.then(async () => {
        const removed = await removeArchiveLines(settings.folder, matches, FILE_MODE)
        // Rewritten files have other sizes: the next batch starts a new file rather than trusting stale ones.
        current.clear()
        return removed
      })
      queue = run.then(
        () => true,
        () => true
      )
      return run
    },
    async close(): Promise<void> {
      await queue
    }
  }
}

/**
 * The items as NDJSON, one line each; gzipped, as consecutive gzip members of MEMBER_LINES lines each (a multi-member gzip
 * is one valid gzip stream): each member is handed to zlib (the thread pool, the other core) as soon as its
 * lines are made, so compression runs while the next lines are serialized instead of after all of them.
 */
async function encode<T>(items: T[], line: (item: T) => string, compress: boolean): Promise<Buffer> {
  const members: Array<Promise<Buffer> | Buffer> = []
  for (let i = 0; i < items.length; i += MEMBER_LINES) {
    const lines: string[] = []
    for (let j = i; j < Math.min(i + MEMBER_LINES, items.length); j++) lines.push(line(items[j]!))
    const bytes = ndjsonBytes(lines)
    members.push(compress ? gzip(bytes, { level: GZIP_LEVEL }) : bytes)
  }
  return members.length === 1 ? members[0]! : Buffer.concat(await Promise.all(members))
}

/** Items per partition folder, in the order of the batch. */
function groupByPartition<T>(items: T[], receivedAt: (item: T) => unknown, sourceIds: number[], settings: FileSettings, env: DriverEnv, now: number): Map<string, T[]> {
  const dirs = new Map<string, string>()
  const groups = new Map<string, T[]>()
  items.forEach((item, i) => {
    const sourceId = sourceIds[i] ?? 0
    const day = utcDay(receivedAt(item), now)
    // Most of a batch shares a source and day: work out each folder once.
    const key = `${sourceId}/${day}`
    let dir = dirs.get(key)
    if (dir === undefined) {
      dir = join(settings.folder, ...partitionSegments(settings.partition, sourceSegment(env.sourceName(sourceId), sourceId), day))
      dirs.set(key, dir)
    }
    let group = groups.get(dir)
    if (!group) groups.set(dir, (group = []))
    group.push(item)
  })
  return groups
}

/** A new, empty file in `dir` (created if missing), its directory entry made durable. */
async function createFile(dir: string, nextName: () => string): Promise<string> {
  let created: string | undefined
  try {
    created = await mkdir(dir, { recursive: true, mode: DIR_MODE })
  } catch (error) {
    throw new Error(`cannot create the folder ${dir}: ${describe(error)}`)
  }
  for (;;) {
    const path = join(dir, nextName())
    try {
      const handle = await open(path, 'wx', FILE_MODE)
      await handle.close()
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') continue
      throw error
    }
    // The new file and any new folders must survive a crash too, not only their contents.
    await syncDir(dir)
    if (created !== undefined) for (let d = dir; d !== dirname(created) && d !== dirname(d); d = dirname(d)) await syncDir(dirname(d))
    return path
  }
}

function failed(error: string): SendResult {
  return { status: null, error, retryAfterMs: null, requestSample: '', responseSample: null }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}
