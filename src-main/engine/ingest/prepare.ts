// One tracking request → the rows to commit and the messages rejected, per Segment's rules:
// batch envelope merge, spec validation, limits (hard ones reject, Segment's warn or reject),
// messageId and timestamp normalization. Nothing here touches the store.

import { randomUUID } from 'node:crypto'
import type { EventWarning } from '../../../src-shared/api'
import type { RejectedMessage } from '../../../src-shared/errors'
import { SEGMENT_LIMITS, type SegmentType } from '../../../src-shared/segment'
import type { EngineConfig } from '../config'
import { ApiError } from '../errors'
import type { EventRow } from '../store/event-row'
import { checkSpec, isPlainObject, isSpecProblem } from './spec'
import { batchSlices, wholeSlice, type Slice } from './json-slices'
import { checkStructure, formatPath } from './structure'
import { correctTimestamps } from './timestamps'

export interface PrepareInput {
  /** The call type of a single-message route; null for a batch route. */
  routeType: SegmentType | null
  body: Record<string, unknown>
  /** The body's JSON text: stored messages are cut from it, exactly as sent. */
  text: string
  sourceId: number
  receivedAt: number
  /** Size of the (decompressed) request body. */
  requestBytes: number
}

export interface PrepareOptions {
  limits: EngineConfig['limits']
  segmentLimits: EngineConfig['segmentLimits']
}

export interface Prepared {
  rows: EventRow[]
  /** The parsed message of each row (same order), for validation against a tracking plan. */
  messages: Record<string, unknown>[]
  /** Each row's index in the batch (0 for a single message). */
  indexes: number[]
  rejected: RejectedMessage[]
}

export function prepareMessages(request: PrepareInput, options: PrepareOptions): Prepared {
  // A key that could poison a prototype, written plainly or with \u escapes ("\u005f_proto__").
  const { text } = request
  const input = { ...request, suspiciousKeys: text.includes('__proto__') || text.includes('"constructor"') || text.includes('\\u') }
  return input.routeType === null ? prepareBatch(input, options) : prepareSingle(input, input.routeType, options)
}

type Input = PrepareInput & { suspiciousKeys: boolean }

function prepareSingle(input: Input, routeType: SegmentType, options: PrepareOptions): Prepared {
  const warnings = requestWarnings(input, 1, options)
  const outcome = prepareMessage(input.body, wholeSlice(input.text), routeType, null, input, options, warnings)
  if ('code' in outcome) {
    throw new ApiError(outcome.code === 'ERR_LIMIT_MESSAGE_TOO_LARGE' ? 413 : 400, outcome.code, outcome.message, outcome.field)
  }
  return { rows: [outcome], messages: [input.body], indexes: [0], rejected: [] }
}

function prepareBatch(input: Input, options: PrepareOptions): Prepared {
  const { batch, context, integrations } = input.body
  if (!Array.isArray(batch)) {
    throw new ApiError(400, 'ERR_SPEC_BATCH_NOT_ARRAY', 'The body needs a "batch" array of messages.', 'batch')
  }
  if (batch.length === 0) throw new ApiError(400, 'ERR_SPEC_BATCH_EMPTY', 'The batch is empty.', 'batch')
  for (const [field, value] of [['context', context], ['integrations', integrations]] as const) {
    if (value !== undefined && value !== null && !isPlainObject(value)) {
      throw new ApiError(400, 'ERR_SPEC_INVALID_FIELD', `${field} must be an object.`, field)
    }
  }
  const envelope = { context: context as Record<string, unknown> | undefined, integrations: integrations as Record<string, unknown> | undefined }
  const merging = isPlainObject(envelope.context) || isPlainObject(envelope.integrations)
  // Merged messages differ from the bytes sent, so they are serialized again; others are cut from the text.
  const slices = merging ? null : batchSlices(input.text)
  const sliceOf = (index: number): Slice | null => (slices && slices.length === batch.length ? slices[index]! : null)
  const warnings = requestWarnings(input, batch.length, options)
  const rows: EventRow[] = []
  const messages: Record<string, unknown>[] = []
  const indexes: number[] = []
  const rejected: RejectedMessage[] = []

  for (let index = 0; index < batch.length; index++) {
    const item: unknown = batch[index]
    if (index >= SEGMENT_LIMITS.batchMessages && options.segmentLimits === 'reject') {
      rejected.push({ index, code: 'ERR_SEGMENT_LIMIT_BATCH_COUNT', message: `Segment accepts at most ${SEGMENT_LIMITS.batchMessages} messages per batch.`, field: `batch[${index}]` })
      continue
    }
    if (!isPlainObject(item)) {
      rejected.push({ index, code: 'ERR_BODY_NOT_OBJECT', message: 'A batch item must be a JSON object.', field: `batch[${index}]` })
      continue
    }
    const itemWarnings = index >= SEGMENT_LIMITS.batchMessages
      ? [...warnings, { code: 'SEGMENT_BATCH_COUNT', message: `Segment would drop this: message ${index + 1} of a batch over ${SEGMENT_LIMITS.batchMessages} messages` }]
      : warnings
    const message = merging ? merge(item, envelope) : item
    const outcome = prepareMessage(message, sliceOf(index), null, input.body.sentAt, input, options, itemWarnings)
    if ('code' in outcome) {
      if (outcome.code === 'ERR_SEGMENT_LIMIT_MESSAGE') {
        // Segment answers a whole batch with 400 when one of its messages is over 32 KB.
        throw new ApiError(400, outcome.code, `batch[${index}]: ${outcome.message}`, `batch[${index}]`)
      }
      rejected.push({ index, code: outcome.code, message: outcome.message, field: outcome.field ? `batch[${index}].${outcome.field}` : `batch[${index}]` })
    } else {
      rows.push(outcome)
      messages.push(message)
      indexes.push(index)
    }
  }

  if (rows.length === 0) {
    const first = rejected[0]!
    throw new ApiError(first.code === 'ERR_LIMIT_MESSAGE_TOO_LARGE' ? 413 : 400, first.code, `No message in the batch could be stored. ${first.field}: ${first.message}`, first.field, rejected)
  }
  return { rows, messages, indexes, rejected }
}

/** Top-level context and integrations of a batch apply to every item; the item's own keys win. */
function merge(item: Record<string, unknown>, envelope: { context?: Record<string, unknown>; integrations?: Record<string, unknown> }): Record<string, unknown> {
  const merged = { ...item }
  if (envelope.context) merged.context = { ...envelope.context, ...(isPlainObject(item.context) ? item.context : {}) }
  if (envelope.integrations) merged.integrations = { ...envelope.integrations, ...(isPlainObject(item.integrations) ? item.integrations : {}) }
  return merged
}

/** Segment's per-request limits: flagged on every message, or the whole request refused in reject mode. */
function requestWarnings(input: PrepareInput, messages: number, options: PrepareOptions): EventWarning[] {
  const isBatch = input.routeType === null
  const limit = isBatch ? SEGMENT_LIMITS.batchBytes : SEGMENT_LIMITS.messageBytes
  if (input.requestBytes <= limit) return []
  const what = `request is ${kb(input.requestBytes)} > ${kb(limit)}`
  if (options.segmentLimits === 'reject') {
    throw new ApiError(400, isBatch ? 'ERR_SEGMENT_LIMIT_BATCH_BYTES' : 'ERR_SEGMENT_LIMIT_MESSAGE', `Segment would reject this ${isBatch ? 'batch' : 'message'}: ${what}.`, 'body')
  }
  return isBatch
    ? [{ code: 'SEGMENT_BATCH_SIZE', message: `Segment would reject this batch of ${messages} messages: ${what}` }]
    : []
}

type Outcome = EventRow | { code: RejectedMessage['code']; message: string; field?: string }

function prepareMessage(
  message: Record<string, unknown>,
  slice: Slice | null,
  routeType: SegmentType | null,
  envelopeSentAt: unknown,
  input: Input,
  options: PrepareOptions,
  baseWarnings: EventWarning[]
): Outcome {
  // The walk over the parsed message is only needed when the text could hold a problem.
  if (slice === null || slice.depth > options.limits.depth || input.suspiciousKeys) {
    const structure = checkStructure(message, options.limits.depth)
    if (structure) {
      const field = formatPath(structure.path)
      return { code: structure.code, message: `${field || 'message'}: ${structure.message}`, field }
    }
  }
  const spec = checkSpec(message, routeType)
  if (isSpecProblem(spec)) return spec

  // Stored as sent; the route's call type (which wins, as with Segment) is the row's type column.
  const payload = slice === null ? JSON.stringify(message) : input.text.slice(slice.start, slice.end)
  const size = Buffer.byteLength(payload)
  if (size > options.limits.messageBytes) {
    return { code: 'ERR_LIMIT_MESSAGE_TOO_LARGE', message: `The message is ${size} bytes; the limit is ${options.limits.messageBytes} bytes (--max-message-bytes).`, field: 'maxMessageBytes' }
  }

  const warnings = [...baseWarnings]
  if (size > SEGMENT_LIMITS.messageBytes) {
    if (options.segmentLimits === 'reject') {
      return { code: 'ERR_SEGMENT_LIMIT_MESSAGE', message: `Segment rejects messages over ${kb(SEGMENT_LIMITS.messageBytes)}; this one is ${kb(size)}.` }
    }
    warnings.push({ code: 'SEGMENT_MESSAGE_SIZE', message: `Segment would reject this: message is ${kb(size)} > ${kb(SEGMENT_LIMITS.messageBytes)}` })
  }

  const times = correctTimestamps(message.timestamp, message.sentAt ?? envelopeSentAt, input.receivedAt)
  for (const field of times.invalid) {
    warnings.push({ code: 'INVALID_TIMESTAMP', message: `${field} is not a valid ISO-8601 time; Loupe used the time it received the event` })
  }

  return {
    sourceId: input.sourceId,
    type: spec.type,
    name: spec.name,
    userId: spec.userId,
    anonymousId: spec.anonymousId,
    messageId: spec.messageId ?? `loupe-${randomUUID()}`,
    messageIdGenerated: spec.messageId === null,
    receivedAt: input.receivedAt,
    timestamp: times.timestamp,
    originalTimestamp: times.originalTimestamp,
    sentAt: times.sentAt,
    size,
    warnings: warnings.length > 0 ? warnings : null,
    payload
  }
}

function kb(bytes: number): string {
  return `${Math.round(bytes / 1024)} KB`
}
