// One POST with a timeout, answered as a SendResult (shared by the HTTP destinations).

import { sample, type SendResult } from './driver'
import { retryAfterMs } from './retry-after'

const TIMEOUT_MS = 10_000

export async function postJson(url: string, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<SendResult> {
  try {
    const res = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': 'Loupe', ...headers },
      body,
      signal: AbortSignal.any([signal, AbortSignal.timeout(TIMEOUT_MS)]),
      redirect: 'manual'
    })
    const text = await res.text().catch(() => '')
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
