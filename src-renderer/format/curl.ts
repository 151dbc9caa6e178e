// "Copy as curl": a POST of a stored event back to this Loupe's tracking API, as the client could
// have sent it. The messageId is left out on purpose: Loupe dedupes on (source, messageId), so a
// replay with the same id would be answered 200 and silently not stored again.

import type { JsonObject, SegmentType } from '../../src-shared/segment'
import { shellQuote } from './code-literals'

export interface CurlInput {
  origin: string
  type: SegmentType
  payload: JsonObject
  writeKey: string
}

export function replayPayload(payload: JsonObject): JsonObject {
  // writeKey travels as HTTP Basic (-u); a body copy would only repeat it.
  const { messageId: _messageId, writeKey: _writeKey, ...rest } = payload
  return rest
}

export function curlForEvent({ origin, type, payload, writeKey }: CurlInput): string {
  return curlPost(origin, `/v1/${type}`, writeKey, JSON.stringify(replayPayload(payload)))
}

/** The line the empty states teach: the smallest event that works. */
export function firstEventCurl(origin: string, writeKey: string): string {
  return curlPost(origin, '/v1/track', writeKey, JSON.stringify({ userId: 'user-1', event: 'Hello Loupe', properties: { plan: 'free' } }))
}

function curlPost(origin: string, path: string, writeKey: string, body: string): string {
  return [
    `curl -u ${shellQuote(`${writeKey}:`)} ${shellQuote(`${origin}${path}`)} \\`,
    `  -H 'Content-Type: application/json' \\`,
    `  -d ${shellQuote(body)}`
  ].join('\n')
}
