// One POST with a timeout, answered as a SendResult (shared by the HTTP destinations).

import { sample, type SendResult } from './driver'
import { retryAfterMs } from './retry-after'

const TIMEOUT_MS = 10_000
/** The delivery log keeps 2 KB of a response; a hostile endpoint must not make Loupe buffer more than this. */
const MAX_RESPONSE_BYTES = 64 * 1024

export async function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Loupe', ...headers },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      redirect: 'manual'
    })
    const text = await readCapped(res, MAX_RESPONSE_BYTES).catch(() => '')
    return { status: res.status, error: null, retryAfterMs: retryAfterMs(res.headers.get('retry-after')), requestSample: sample(body), responseSample: sample(text) }
  } catch (error) {
    const reason = (error as Error).name === 'TimeoutError' ? `no answer within ${TIMEOUT_MS / 1000} s` : ((error as Error & { cause?: Error }).cause?.message ?? (error as Error).message)
    return { status: null, error: reason, retryAfterMs: null, requestSample: sample(body), responseSample: null }
  }
}

/** A POST as a dry run shows it: method, URL, then the JSON body (pretty-printed). Headers stay out: they hold secrets. */
export function describePost(url: string, body: string): string {
  return `POST ${url}\n\n${JSON.stringify(JSON.parse(body), null, 2)}`
}

/** The start of a response body; the rest is not read (the connection is released by cancelling). */
async function readCapped(res: Response, max: number): Promise<string> {
  if (!res.body) return ''
  const reader = res.body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  while (size < max) {
    const { done, value } = await reader.read()
    if (done) break
    chunks.push(value)
    size += value.byteLength
  }
  if (size >= max) await reader.cancel().catch(() => undefined)
  return Buffer.concat(chunks).subarray(0, max).toString('utf8')
}
