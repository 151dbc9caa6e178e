// Wraps a definition's extendRequest — the one hook actions-core gives into every vendor request — to add
// what Loupe needs: a request timeout (actions-core drops its default one as soon as a signal is passed),
// the loopback redirect in development, and a record of each request and answer for the delivery log.
// Records are found through the AbortSignal of the send that made the request: actions-core hands that
// signal to extendRequest, and each send has its own, so concurrent sends never mix their records.

import type { AgentOption } from './redirect'
import type { DestinationDefinition, FetchRequest, FetchResponse, RequestContext, RequestOptions } from './segment-packages'

export interface Exchange {
  method: string
  url: string | null
  body: string
  status: number | null
  response: string | null
}

/** What one send's requests looked like. */
export class SendRecord {
  readonly exchanges: Exchange[] = []

  /** The exchange that explains the outcome: the last failing one, else the first. */
  telling(): Exchange | null {
    for (let i = this.exchanges.length - 1; i >= 0; i--) {
      const status = this.exchanges[i]!.status
      if (status === null || status >= 400) return this.exchanges[i]!
    }
    return this.exchanges[0] ?? null
  }
}

const records = new WeakMap<AbortSignal, SendRecord>()

/** A signal of its own for one send (aborting with `signal`), under which its requests are recorded. */
export function recordedSignal(signal: AbortSignal): { signal: AbortSignal; record: SendRecord } {
  const own = AbortSignal.any([signal])
  const record = new SendRecord()
  records.set(own, record)
  return { signal: own, record }
}

export function instrumentDefinition(definition: DestinationDefinition, options: { agent: AgentOption | null; timeoutMs: number }): DestinationDefinition {
  const original = definition.extendRequest
  return {
    ...definition,
    extendRequest(context: RequestContext): RequestOptions {
      const base = original?.call(definition, context) ?? {}
      const extra: RequestOptions = {}
      if (options.agent) extra.agent = options.agent
      if (base.timeout === undefined) extra.timeout = options.timeoutMs
      const record = context.signal ? records.get(context.signal) : undefined
      if (record) {
        // beforeRequest sees the body (already serialized from `json`) but not the URL; afterResponse sees both.
        extra.beforeRequest = [
          ...(base.beforeRequest ?? []),
          (request) => {
            record.exchanges.push({ method: String(request.method ?? 'GET'), url: null, body: bodyText(request.body), status: null, response: null })
            return undefined
          }
        ]
        extra.afterResponse = [
          ...(base.afterResponse ?? []),
          (request: FetchRequest, _options: Record<string, unknown>, response: FetchResponse) => {
            const exchange = [...record.exchanges].reverse().find((e) => e.status === null) ?? record.exchanges[record.exchanges.length - 1]
            if (exchange) {
              exchange.url = request.url
              exchange.method = request.method
              exchange.status = response.status
              exchange.response = typeof response.content === 'string' ? response.content : null
            }
            return response
          }
        ]
      }
      return { ...base, ...extra }
    }
  }
}

function bodyText(body: unknown): string {
  if (body === undefined || body === null) return ''
  if (typeof body === 'string') return body
  if (Buffer.isBuffer(body)) return body.toString('utf8')
  if (body instanceof URLSearchParams) return body.toString()
  return `(${Object.prototype.toString.call(body).slice(8, -1)} body)`
}
