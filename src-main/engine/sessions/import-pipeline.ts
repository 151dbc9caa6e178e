// Import of NDJSON lines through the tracking ingest path: the same validation and normalization
// (prepareMessages), the same store writes (messageId dedupe per source), in large group commits with a few
// writes in flight. Lines in the exported / Segment archive form (they have receivedAt) keep their original
// times: receivedAt, the corrected timestamp, originalTimestamp and sentAt are taken from the line. The stored
// payload is the line as sent (cut from the text, not serialized again: most of an import's time is JSON);
// export rewrites those fields from the columns anyway. Only a line whose export had no usable
// originalTimestamp (the client sent no timestamp) is rewritten, so re-exporting it does not invent one.

import type { ImportRejectedLine } from '../../../src-shared/sessions'
import { WRITE_KEY_PATTERN } from '../../../src-shared/write-key'
import type { EngineConfig } from '../config'
import { aliasPreviousId } from '../privacy/policy'
import { ApiError } from '../errors'
import type { IngestValidation } from '../protocols/ingest-validation'
import type { PrivacyPolicy } from '../privacy/policy'
import { detectAtIngest } from '../privacy/ingest-privacy'
import { prepareMessages } from '../ingest/prepare'
import { isPlainObject } from '../ingest/spec'
import { parseIso } from '../ingest/timestamps'
import type { EventRow } from '../store/event-row'
import { TooManySourcesError, type SourceRegistry } from '../store/sources'
import type { CommitResult, StoreThread } from '../store/store-thread'
import type { InputLine } from './ndjson-lines'

export interface ImportDeps {
  config: Pick<EngineConfig, 'limits' | 'segmentLimits'> & Partial<Pick<EngineConfig, 'strictKeys'>>
  sources: SourceRegistry
  store: StoreThread
  /** Imported events are validated against their source's tracking plan like any arriving event. */
  validation?: Pick<IngestValidation, 'check'>
  /** Imported events are scanned for personal data, and a suppressed user's are refused, as at ingest. */
  privacy?: PrivacyPolicy
}

export interface ImportCounts {
  read: number
  stored: number
  duplicates: number
  rejected: number
  rejectedLines: ImportRejectedLine[]
}

/** Lines per prepare call and per store write (within Segment's batch count, so no batch-limit warnings). */
const CHUNK = 2000
/** Store writes in flight: the next chunk is prepared while the store thread commits the previous ones. */
const IN_FLIGHT = 4
const MAX_REJECTED_LINES = 1000

export const IMPORTED_WRITE_KEY = 'wk_imported'

interface Entry {
  at: InputLine
  message: Record<string, unknown>
  /** The message's JSON text: the line itself unless it had to be rewritten. */
  json: string
  times: { receivedAt: number; timestamp: number; originalTimestamp: number | null; sentAt: number | null } | null
  writeKey: string | null
}

/**
 * Imports every line; `sourceId` puts them all in that source, otherwise each line goes to the source of its
 * `writeKey` (created if new) or to the "Imported" source. `onProgress` is called after each commit.
 */
export async function importLines(deps: ImportDeps, lines: AsyncIterable<InputLine>, sourceId: number | null, counts: ImportCounts, onProgress: () => void = () => {}): Promise<void> {
  const inFlight = new Set<Promise<void>>()
  let failure: unknown = null
  let chunk: InputLine[] = []
  const flush = async (): Promise<void> => {
    const rows = await prepareChunk(deps, chunk, sourceId, counts)
    chunk = []
    if (rows.length === 0) return onProgress()
    const write = deps.store.write(rows).then(
      (result: CommitResult) => {
        counts.stored += result.stored
        counts.duplicates += result.duplicates
        onProgress()
      },
      (error: unknown) => {
        failure ??= error
      }
    )
    const tracked = write.finally(() => inFlight.delete(tracked))
    inFlight.add(tracked)
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight)
    if (failure) throw failure
  }
  for await (const line of lines) {
    counts.read++
    chunk.push(line)
    if (chunk.length >= CHUNK) await flush()
  }
  if (chunk.length > 0) await flush()
  await Promise.all(inFlight)
  if (failure) throw failure
}

async function prepareChunk(deps: ImportDeps, chunk: InputLine[], sourceId: number | null, counts: ImportCounts): Promise<EventRow[]> {
  const entries: Entry[] = []
  const firstRejected = counts.rejectedLines.length
  for (const at of chunk) {
    let value: unknown
    try {
      value = JSON.parse(at.text)
    } catch (error) {
      reject(counts, at, 'ERR_BODY_INVALID_JSON', `not valid JSON: ${(error as Error).message}`)
      continue
    }
    if (!isPlainObject(value)) {
      reject(counts, at, 'ERR_BODY_NOT_OBJECT', 'a line must be one JSON object (a Segment message)')
      continue
    }
    entries.push(toEntry(at, value))
  }
  if (entries.length === 0) return []
  const receivedAt = Date.now()
  const rows: EventRow[] = []
  const kept: Entry[] = []
  try {
    const text = `{"batch":[${entries.map((e) => e.json).join(',')}]}`
    const prepared = prepareMessages({ routeType: null, body: { batch: entries.map((e) => e.message) }, text, sourceId: 0, receivedAt, requestBytes: 0 }, deps.config)
    const refused = new Set(prepared.rejected.map((r) => r.index))
    for (const r of prepared.rejected) reject(counts, entries[r.index]!.at, r.code, r.message, stripBatch(r.field))
    entries.forEach((entry, index) => {
      if (!refused.has(index)) kept.push(entry)
    })
    rows.push(...prepared.rows)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    // The whole chunk was refused (no valid line, or one over Segment's size in reject mode): line by line.
    for (const entry of entries) {
      try {
        const one = prepareMessages({ routeType: null, body: { batch: [entry.message] }, text: `{"batch":[${entry.json}]}`, sourceId: 0, receivedAt, requestBytes: 0 }, deps.config)
        if (one.rows.length === 1) {
          rows.push(one.rows[0]!)
          kept.push(entry)
        } else for (const r of one.rejected) reject(counts, entry.at, r.code, r.message, stripBatch(r.field))
      } catch (lineError) {
        if (!(lineError instanceof ApiError)) throw lineError
        const first = lineError.rejected?.[0]
        reject(counts, entry.at, first?.code ?? lineError.code, first?.message ?? lineError.message, stripBatch(first?.field ?? lineError.field))
      }
    }
  }
  // Parse and spec problems are found in two passes; the report lists them in line order.
  if (counts.rejectedLines.length - firstRejected > 1) {
    const added = counts.rejectedLines.splice(firstRejected).sort((x, y) => x.line - y.line)
    counts.rejectedLines.push(...added)
  }
  const out: EventRow[] = []
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i]!
    const entry = kept[i]!
    const target = sourceId ?? (await sourceFor(deps, entry.writeKey))
    const suppressed = deps.privacy?.suppressedBy(row.userId, row.anonymousId, aliasPreviousId(row.type, entry.message)) ?? null
    if (suppressed !== null) {
      reject(counts, entry.at, 'ERR_SUPPRESSED', 'this user is suppressed (privacy): its events are not accepted', suppressed)
      continue
    }
    row.sourceId = target
    if (entry.times) Object.assign(row, entry.times)
    if (row.messageId.startsWith('loupe-')) row.messageIdGenerated = true
    out.push(row)
    deps.validation?.check(target, [row], [entry.message], false)
    if (deps.privacy) detectAtIngest(deps.privacy, target, [row], [entry.message])
  }
  return out
}

const FUTURE_SKEW_MS = 60_000

/** Reads a line's original times; rewrites it only when its export had no client timestamp. */
function toEntry(at: InputLine, message: Record<string, unknown>): Entry {
  const writeKey = typeof message.writeKey === 'string' && WRITE_KEY_PATTERN.test(message.writeKey) ? message.writeKey : null
  let receivedAt = time(message.receivedAt)
  // A receivedAt in the future would look like the newest arrival and make every later live event seem late
  // (time-range queries widen by the largest arrival disorder): such lines are treated as received now.
  if (receivedAt !== null && receivedAt > Date.now() + FUTURE_SKEW_MS) receivedAt = null
  if (receivedAt === null) return { at, message, json: at.text, times: null, writeKey }
  const originalTimestamp = time(message.originalTimestamp)
  const times = { receivedAt, timestamp: time(message.timestamp) ?? receivedAt, originalTimestamp, sentAt: time(message.sentAt) }
  if (originalTimestamp !== null) return { at, message, json: at.text, times, writeKey }
  // What the client sent: no timestamp (or one that was no time, kept as it was).
  if (message.originalTimestamp === undefined) delete message.timestamp
  else message.timestamp = message.originalTimestamp
  delete message.originalTimestamp
  delete message.receivedAt
  return { at, message, json: JSON.stringify(message), times, writeKey }
}

/** Exports write toISOString()'s form, which Date.parse reads exactly and fast; anything else the ingest's way. */
function time(value: unknown): number | null {
  if (typeof value !== 'string') return null
  const ms = value.length === 24 && value.charCodeAt(23) === 90 /* Z */ && value.charCodeAt(10) === 84 /* T */ ? Date.parse(value) : parseIso(value)
  return Number.isFinite(ms) ? ms : null
}

async function sourceFor(deps: ImportDeps, writeKey: string | null): Promise<number> {
  if (writeKey !== null) {
    const source = deps.sources.lookup(writeKey)
    if (source !== null) return source
    // As on the tracking API: --strict-keys creates no source for an unknown key, nor does the auto-created
    // sources cap give way; such lines land in the "Imported" source instead of failing the import.
    if (!deps.config.strictKeys) {
      const created = await deps.sources.ensure(writeKey).catch((error: unknown) => {
        if (error instanceof TooManySourcesError) return null
        throw error
      })
      if (created !== null) return created
    }
  }
  const known = deps.sources.lookup(IMPORTED_WRITE_KEY)
  if (known !== null) return known
  return (await deps.sources.create('Imported', IMPORTED_WRITE_KEY).catch(() => null))?.id ?? deps.sources.ensure(IMPORTED_WRITE_KEY)
}

function reject(counts: ImportCounts, at: InputLine, code: string, message: string, field?: string): void {
  counts.rejected++
  if (counts.rejectedLines.length >= MAX_REJECTED_LINES) return
  const entry: ImportRejectedLine = { line: at.line, code, message }
  if (at.file !== undefined) entry.file = at.file
  if (field) entry.field = field
  counts.rejectedLines.push(entry)
}

function stripBatch(field: string | undefined): string | undefined {
  if (field === undefined) return undefined
  const stripped = field.replace(/^batch\[\d+\]\.?/, '')
  return stripped === '' ? undefined : stripped
}
