// The tracking surface: Segment's HTTP API (/v1/*), analytics.js's short paths and CDN emulation.
// Write-only: answers say whether events were stored, never what is stored.
// A 200 means every stored event of the request is committed in SQLite.

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { TrackingSuccess } from '../../../../src-shared/errors'
import type { SegmentType } from '../../../../src-shared/segment'
import type { EngineContext } from '../../context'
import { ApiError } from '../../errors'
import { decodeBody } from '../../ingest/body'
import { prepareMessages, type Prepared } from '../../ingest/prepare'
import { detectAtIngest } from '../../privacy/ingest-privacy'
import { aliasPreviousId } from '../../privacy/policy'
import type { EventRow } from '../../store/event-row'
import { isPlainObject } from '../../ingest/spec'
import { faultsOf } from '../../faults/injector'
import { injectFault } from '../../faults/intercept'
import { WRITE_KEY_PATTERN, WRITE_KEY_RULE } from '../../../../src-shared/write-key'
import { TooManySourcesError } from '../../store/sources'
import { registerCdn } from './cdn'
import { registerOpenCors } from './cors'
import { writeKeyFromAuthorization, writeKeyFromBody } from './write-key'

const SINGLE_ROUTES: Record<string, SegmentType> = {
  identify: 'identify', i: 'identify',
  track: 'track', t: 'track',
  page: 'page', p: 'page',
  screen: 'screen', s: 'screen',
  group: 'group', g: 'group',
  alias: 'alias', a: 'alias'
}
const BATCH_ROUTES = ['/v1/batch', '/v1/import', '/v1/b', '/b']

export async function trackingPlugin(app: FastifyInstance, ctx: EngineContext): Promise<void> {
  // Every body is JSON whatever its Content-Type claims; read raw bytes and decode them ourselves.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('*', { parseAs: 'buffer', bodyLimit: ctx.config.limits.requestBytes }, (_request, body, done) => done(null, body))

  registerOpenCors(app, ['/v1/*', '/b'])

  for (const [path, type] of Object.entries(SINGLE_ROUTES)) {
    app.post(`/v1/${path}`, (request, reply) => ingest(ctx, request, reply, type))
  }
  for (const path of BATCH_ROUTES) app.post(path, (request, reply) => ingest(ctx, request, reply, null))

  // analytics.js remote metrics: accepted and dropped (they describe the SDK, not the user).
  app.post('/v1/m', async () => ({ success: true }))

  registerCdn(app)
}

/**
 * A suppressed user's messages are refused: a single message (or a batch of nothing else) with 403, which
 * clients drop rather than retry; in a batch with other users' messages, each is listed as rejected.
 */
function refuseSuppressed(ctx: EngineContext, prepared: Prepared, single: boolean): void {
  const keep: number[] = []
  const suppressedBy = (i: number): 'userId' | 'anonymousId' | 'previousId' | null => {
    const row = prepared.rows[i]!
    return ctx.privacy.suppressedBy(row.userId, row.anonymousId, aliasPreviousId(row.type, prepared.messages[i]!))
  }
  prepared.rows.forEach((_row, i) => {
    if (suppressedBy(i) === null) keep.push(i)
  })
  if (keep.length === prepared.rows.length) return
  const message = 'This user is suppressed in Loupe (privacy): its events are not accepted.'
  if (keep.length === 0 && (single || prepared.rejected.length === 0)) {
    throw new ApiError(403, 'ERR_SUPPRESSED', message, single ? (suppressedBy(0) ?? 'userId') : 'batch')
  }
  const kept = new Set(keep)
  prepared.indexes.forEach((index, i) => {
    if (kept.has(i)) return
    const field = suppressedBy(i) ?? 'userId'
    prepared.rejected.push({ index, code: 'ERR_SUPPRESSED', message, field: `batch[${index}].${field}` })
  })
  prepared.rejected.sort((a, b) => a.index - b.index)
  prepared.rows = keep.map((i) => prepared.rows[i]!)
  prepared.messages = keep.map((i) => prepared.messages[i]!)
  prepared.indexes = keep.map((i) => prepared.indexes[i]!)
  if (prepared.rows.length === 0) throw new ApiError(403, 'ERR_SUPPRESSED', message, 'batch', prepared.rejected)
}

/** Seconds a client is asked to wait while capture is paused. */
const PAUSED_RETRY_AFTER = 10

async function ingest(ctx: EngineContext, request: FastifyRequest, reply: FastifyReply, routeType: SegmentType | null): Promise<TrackingSuccess> {
  const { config } = ctx
  if (ctx.capture.paused) {
    reply.header('Retry-After', String(PAUSED_RETRY_AFTER))
    throw new ApiError(503, 'ERR_CAPTURE_PAUSED', `Capture is paused in Loupe; retry in ${PAUSED_RETRY_AFTER} s.`)
  }
  const { value, text, bytes } = await decodeBody(request.body as Buffer | undefined, request.headers['content-encoding'], config.limits.requestBytes)
  const receivedAt = Date.now()
  if (!isPlainObject(value)) throw new ApiError(400, 'ERR_BODY_NOT_OBJECT', 'The request body must be a JSON object.')

  const writeKey = writeKeyFromAuthorization(request.headers.authorization) ?? writeKeyFromBody(value)
  if (writeKey === null) {
    throw new ApiError(401, 'ERR_AUTH_MISSING_WRITE_KEY', 'No write key: send it as the HTTP Basic username (empty password) or as "writeKey" in the body.', 'writeKey')
  }
  if (!WRITE_KEY_PATTERN.test(writeKey)) {
    throw new ApiError(401, 'ERR_AUTH_UNKNOWN_WRITE_KEY', WRITE_KEY_RULE, 'writeKey')
  }
  const known = ctx.sources.lookup(writeKey)
  if (known === null && config.strictKeys) {
    throw new ApiError(401, 'ERR_AUTH_UNKNOWN_WRITE_KEY', `Unknown write key "${writeKey}" (this Loupe runs with --strict-keys; create the source first).`, 'writeKey')
  }
  // QA fault injection: an injected failure has answered already, and nothing may be stored.
  // Ingest is the hot path: with no rule defined (the normal case) not even an await is spent on it.
  if (known !== null && faultsOf(ctx).armed && (await injectFault(ctx, known, request, reply, value)) === 'answered') return reply as never

  const prepared = prepareMessages({ routeType, body: value, text, sourceId: known ?? 0, receivedAt, requestBytes: bytes }, config)
  if (ctx.privacy.suppressing) refuseSuppressed(ctx, prepared, routeType !== null)
  let sourceId = known
  let forwarded: EventRow[] = []
  if (sourceId === null) {
    // Zero-config: the first valid event of an unknown key creates its source.
    sourceId = await ctx.sources.ensure(writeKey).catch((error: unknown) => {
      throw error instanceof TooManySourcesError ? new ApiError(401, 'ERR_AUTH_UNKNOWN_WRITE_KEY', error.message, 'writeKey') : error
    })
    for (const row of prepared.rows) row.sourceId = sourceId
  } else {
    // A new source has no plan yet; a known one is validated against its plan (protocols/ingest-validation.ts).
    forwarded = ctx.validation.check(sourceId, prepared.rows, prepared.messages)
  }
  // Every event is scanned for personal data (privacy/ingest-privacy.ts), a new source's too.
  detectAtIngest(ctx.privacy, sourceId, prepared.rows, prepared.messages)
  if (forwarded.length > 0) prepared.rows.push(...forwarded)
  await ctx.store.write(prepared.rows)
  return prepared.rejected.length > 0 ? { success: true, rejected: prepared.rejected } : { success: true }
}
