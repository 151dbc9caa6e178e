// Wait-for latency (QA mode): 100 requests held at once on POST /api/assert/events, each waiting for its own
// event name in one test run; then the matching events go in one at a time through the tracking API. Latency =
// from the tracking API's 200 to the waiter's answer (the engine answers from the live bus as the event
// commits), p50/p95/max. `npm run bench -- --wait-for-only` runs just this part (~10 s).

import type { AssertResult, TestRun } from '../src-shared/qa'
import { writeSection } from './results-md'
import { startEngine, type EngineTarget } from './targets'
import { ms } from './results-md'

const WAITERS = 100
const WAITER_TIMEOUT_MS = 120_000
/** The waiters' requests must have reached the engine before the first event: there is no API that counts them. */
const SETTLE_MS = 1500
const TARGET_P95_MS = 50

export const WAIT_FOR_START = '<!-- wait-for:start (written by `npm run bench`) -->'
export const WAIT_FOR_END = '<!-- wait-for:end -->'

interface Sample {
  /** Tracking API's 200 → waiter's answer (headers). Negative: the answer was read before the 200. */
  fromAckMs: number
  /** Send of the tracking request → waiter's answer. */
  fromSendMs: number
}

export interface WaitForResult {
  samples: Sample[]
  wrong: string[]
}

export async function runWaitFor(root: string, resultsFile: string): Promise<WaitForResult> {
  process.stdout.write(`\n▸ Wait-for latency: ${WAITERS} concurrent waiters, matching events sent one at a time …\n`)
  const engine = await startEngine(root)
  try {
    const result = await measure(engine)
    const markdown = render(result)
    process.stdout.write(`\n${markdown}\n`)
    writeSection(resultsFile, WAIT_FOR_START, WAIT_FOR_END, markdown)
    return result
  } finally {
    await engine.stop()
  }
}

async function measure(engine: EngineTarget): Promise<WaitForResult> {
  const adminHeaders = { authorization: `Bearer ${engine.token}`, 'content-type': 'application/json' }
  const runRes = await fetch(`${engine.baseUrl}/api/runs`, { method: 'POST', headers: adminHeaders, body: JSON.stringify({ name: 'bench wait-for' }) })
  if (runRes.status !== 201) throw new Error(`POST /api/runs answered ${runRes.status}: ${await runRes.text()}`)
  const run = (await runRes.json()) as TestRun
  const trackingAuth = `Basic ${Buffer.from(`${run.writeKey}:`).toString('base64')}`
  const name = (i: number): string => `Bench Event ${i}`

  const answeredAt: number[] = []
  const answers: Promise<AssertResult>[] = []
  for (let i = 0; i < WAITERS; i++) {
    // no upper bound in the count (default: at least one): an `exactly` is only answered once it has held for 500 ms
    const body = { match: { runId: run.id, type: 'track', event: name(i) }, timeoutMs: WAITER_TIMEOUT_MS }
    answers.push(
      fetch(`${engine.baseUrl}/api/assert/events`, { method: 'POST', headers: adminHeaders, body: JSON.stringify(body) }).then(async (res) => {
        answeredAt[i] = performance.now()
        if (res.status !== 200) throw new Error(`waiter ${i}: /api/assert/events answered ${res.status}: ${await res.text()}`)
        return (await res.json()) as AssertResult
      })
    )
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS))
  const early = answeredAt.filter((t) => t !== undefined).length
  if (early > 0) throw new Error(`${early} waiters answered before any event was sent`)

  const samples: Sample[] = []
  const wrong: string[] = []
  for (let i = 0; i < WAITERS; i++) {
    const sentAt = performance.now()
    const res = await fetch(`${engine.baseUrl}/v1/track`, {
      method: 'POST',
      headers: { authorization: trackingAuth, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'track', event: name(i), userId: `bench-user-${i}`, properties: { i } })
    })
    const ackAt = performance.now()
    if (res.status !== 200) throw new Error(`/v1/track answered ${res.status}: ${await res.text()}`)
    await res.arrayBuffer()
    const answer = await answers[i]!
    if (!answer.matched || answer.count !== 1 || answer.events[0]?.name !== name(i)) wrong.push(`waiter ${i}: matched ${answer.matched}, count ${answer.count}`)
    samples.push({ fromAckMs: answeredAt[i]! - ackAt, fromSendMs: answeredAt[i]! - sentAt })
  }
  return { samples, wrong }
}

function render({ samples, wrong }: WaitForResult): string {
  const ack = samples.map((s) => Math.max(0, s.fromAckMs))
  const send = samples.map((s) => s.fromSendMs)
  const beforeAck = samples.filter((s) => s.fromAckMs < 0).length
  const row = (label: string, values: number[]): string => `| ${label} | ${ms(quantile(values, 0.5))} | ${ms(quantile(values, 0.95))} | ${ms(Math.max(...values))} |`
  const p95 = quantile(ack, 0.95)
  return [
    `## Wait-for latency, ${WAITERS} concurrent waiters — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
    '',
    `A fresh \`loupe serve\`; one test run; ${WAITERS} \`POST /api/assert/events\` requests held at once (\`timeoutMs\` ${WAITER_TIMEOUT_MS / 1000} s), each for its own track event name in the run; after ${SETTLE_MS} ms the matching events are sent one at a time to \`/v1/track\` with the run's write key, each once the previous waiter has answered (so ${WAITERS} down to 1 waiters are held while an event commits). Times in the client, same machine.`,
    '',
    '| Latency | p50 | p95 | max |',
    '|---|---:|---:|---:|',
    row("tracking API's 200 → waiter's answer", ack),
    row('tracking request sent → waiter\'s answer', send),
    '',
    `${WAITERS - wrong.length} of ${WAITERS} waiters answered matched with their own event${wrong.length ? ` — WRONG: ${wrong.slice(0, 5).join('; ')}` : ''}; ${beforeAck} answers were read before the tracking API's 200 (counted as 0 ms).`,
    `Target p95 ≤ ${TARGET_P95_MS} ms from the 200: ${ms(p95)} — ${p95 <= TARGET_P95_MS ? 'met' : 'MISSED'}.`
  ].join('\n')
}

function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}

