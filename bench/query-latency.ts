// Query latency of the admin API over 1,000,000 stored events: the Events screen's filters, as the UI
// calls them (GET /api/events over HTTP with the token), p50/p95 per query. The events go in through the
// tracking API, and the run waits until the search indexer has caught up, as a user's store would be.

import { writeSection } from './results-md'
import { startEngine, type EngineTarget } from './targets'

const TOTAL = 1_000_000
const BATCH = 500
const SENDERS = 8
const RUNS = 30
const TARGET_P95_MS = 50

export const QUERY_START = '<!-- query-latency:start (written by `npm run bench`) -->'
export const QUERY_END = '<!-- query-latency:end -->'

/** A small deterministic generator, so every run stores the same events. */
function random(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (Math.imul(state ^ (state >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0
    return state / 2 ** 32
  }
}

const TYPES: [string, number][] = [['track', 0.7], ['page', 0.15], ['identify', 0.1], ['screen', 0.03], ['group', 0.018], ['alias', 0.002]]

function pickType(r: number): string {
  let acc = 0
  for (const [type, share] of TYPES) if (r < (acc += share)) return type
  return 'track'
}

/** Event i: ~2 % from a rare source, names with a long tail, 50k users, 200k anonymous ids. */
function event(i: number, rnd: () => number): Record<string, unknown> {
  const type = pickType(rnd())
  const user = Math.floor(rnd() * 50_000)
  const base: Record<string, unknown> = {
    type,
    anonymousId: `anon-${Math.floor(rnd() * 200_000)}`,
    messageId: `bench-${i}`,
    timestamp: new Date().toISOString(),
    context: { library: { name: '@segment/analytics-node', version: '3.1.0' }, page: { url: `https://shop.example/p/${i % 997}` } }
  }
  if (rnd() < 0.6) base.userId = `user-${user}`
  if (type === 'alias') return { ...base, userId: `user-${user}`, previousId: base.anonymousId }
  if (type === 'group') return { ...base, groupId: `org-${user % 500}` }
  if (type === 'identify') return { ...base, traits: { email: `person${user}@example.com`, plan: user % 3 ? 'free' : 'pro' } }
  const nameRank = Math.floor(1 / (rnd() + 0.0001)) // long tail: a few names are most events
  const name = i % 100_000 === 0 ? 'Very Rare Event' : `Event ${Math.min(nameRank, 400)}`
  const properties = { sku: `SKU-${i % 5000}`, price: (i % 1000) / 10, marker: i === TOTAL / 2 ? 'needle-in-the-haystack' : 'hay' }
  return type === 'track' ? { ...base, event: name, properties } : { ...base, name: `Screen ${nameRank % 40}`, properties }
}

async function fill(engine: EngineTarget): Promise<number> {
  const started = performance.now()
  let next = 0
  const sender = async (worker: number): Promise<void> => {
    const rnd = random(worker + 1)
    for (;;) {
      const first = next
      next += BATCH
      if (first >= TOTAL) return
      const batch = []
      for (let i = first; i < Math.min(first + BATCH, TOTAL); i++) batch.push(event(i, rnd))
      const writeKey = first % 50_000 === 0 ? 'wk_rare' : 'wk_main'
      const res = await fetch(`${engine.baseUrl}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from(`${writeKey}:`).toString('base64')}`, 'content-type': 'application/json' },
        body: JSON.stringify({ batch })
      })
      if (res.status !== 200) throw new Error(`fill: /v1/batch answered ${res.status}: ${await res.text()}`)
    }
  }
  await Promise.all(Array.from({ length: SENDERS }, (_, i) => sender(i)))
  return (performance.now() - started) / 1000
}

async function waitForIndex(engine: EngineTarget): Promise<number> {
  const started = performance.now()
  for (;;) {
    const { indexPending } = await engine.stats()
    if (indexPending === 0) return (performance.now() - started) / 1000
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

interface QueryRow {
  label: string
  query: string
  matches: number
  p50: number
  p95: number
}

async function measure(engine: EngineTarget, label: string, query: string): Promise<QueryRow> {
  const get = async (): Promise<{ ms: number; n: number }> => {
    const started = performance.now()
    const res = await fetch(`${engine.baseUrl}/api/events?${query}`, { headers: { authorization: `Bearer ${engine.token}` } })
    const body = (await res.json()) as { events?: unknown[] }
    if (res.status !== 200) throw new Error(`${query}: ${res.status} ${JSON.stringify(body)}`)
    return { ms: performance.now() - started, n: body.events!.length }
  }
  for (let i = 0; i < 3; i++) await get()
  const times: number[] = []
  let n = 0
  for (let i = 0; i < RUNS; i++) {
    const r = await get()
    times.push(r.ms)
    n = r.n
  }
  times.sort((a, b) => a - b)
  return { label, query, matches: n, p50: times[Math.floor(RUNS * 0.5)]!, p95: times[Math.ceil(RUNS * 0.95) - 1]! }
}

export async function runQueryLatency(root: string, file: string): Promise<{ worstP95: number; problems: string[] }> {
  const engine = await startEngine(root)
  try {
    process.stdout.write(`\n▸ Query latency: storing ${TOTAL.toLocaleString('en-US')} events …\n`)
    const fillSeconds = await fill(engine)
    const { stored } = await engine.stats()
    const indexSeconds = await waitForIndex(engine)
    process.stdout.write(`  stored ${stored} in ${fillSeconds.toFixed(1)} s; search index caught up ${indexSeconds.toFixed(1)} s later\n`)
    const sources = (await (await fetch(`${engine.baseUrl}/api/sources`, { headers: { authorization: `Bearer ${engine.token}` } })).json()) as { sources: { id: number; writeKey: string }[] }
    const rare = sources.sources.find((s) => s.writeKey === 'wk_rare')!.id
    const newest = (await (await fetch(`${engine.baseUrl}/api/events?limit=1`, { headers: { authorization: `Bearer ${engine.token}` } })).json()) as { events: { receivedAt: string }[] }
    const end = Date.parse(newest.events[0]!.receivedAt)
    const deepCursor = Buffer.from(`before:${Math.floor(stored / 2)}`).toString('base64url')

    const queries: [string, string][] = [
      ['newest 50, no filter', 'limit=50'],
      ['a page in the middle (cursor)', `limit=50&cursor=${deepCursor}`],
      ['type=identify (10 %)', 'type=identify&limit=50'],
      ['type=alias (0.2 %)', 'type=alias&limit=50'],
      ['rare source (2 %)', `source=${rare}&limit=50`],
      ['common event name', 'event=Event%201&limit=50'],
      ['rare event name (10 events)', 'event=Very%20Rare%20Event&limit=50'],
      ['userId', 'userId=user-4242&limit=50'],
      ['anonymousId', 'anonymousId=anon-4242&limit=50'],
      ['user (either id)', 'user=anon-777&limit=50'],
      ['messageId', 'messageId=bench-123456&limit=50'],
      ['free text, one match', 'q=needle-in-the-haystack&limit=50'],
      ['free text, common word', 'q=hay&limit=50'],
      ['free text + type', 'q=pro&type=identify&limit=50'],
      ['last minute of ingest', `from=${end - 60_000}&limit=50`],
      ['a one-second window in the middle', `from=${end - Math.round(fillSeconds * 500)}&to=${end - Math.round(fillSeconds * 500) + 1000}&limit=50`],
      ['type + event + userId', 'type=track&event=Event%201&userId=user-77&limit=50']
    ]
    const rows: QueryRow[] = []
    for (const [label, query] of queries) {
      const row = await measure(engine, label, query)
      rows.push(row)
      process.stdout.write(`  ${label.padEnd(36)} p50 ${row.p50.toFixed(1).padStart(6)} ms  p95 ${row.p95.toFixed(1).padStart(6)} ms  (${row.matches} events)\n`)
    }
    const worstP95 = Math.max(...rows.map((r) => r.p95))
    const lines = [
      `## Query latency over ${stored.toLocaleString('en-US')} events — ${new Date().toISOString().replace('T', ' ').slice(0, 19)} UTC`,
      '',
      `Stored through \`/v1/batch\` (${BATCH} events per request, ${SENDERS} senders) in ${fillSeconds.toFixed(1)} s ` +
        `(${Math.round(stored / fillSeconds).toLocaleString('en-US')} events/s with varied, realistic events); the search index caught up ` +
        `${indexSeconds.toFixed(1)} s later. Each query: \`GET /api/events\` over HTTP with the token, 3 warm-up calls, then ${RUNS} timed.`,
      '',
      '| Query | Parameters | events returned | p50 | p95 |',
      '|---|---|---:|---:|---:|',
      ...rows.map((r) => `| ${r.label} | \`${r.query.replace(/cursor=[\w-]+/, 'cursor=…')}\` | ${r.matches} | ${r.p50.toFixed(1)} ms | ${r.p95.toFixed(1)} ms |`),
      '',
      `Target p95 ≤ ${TARGET_P95_MS} ms for every query: worst p95 ${worstP95.toFixed(1)} ms — ${worstP95 <= TARGET_P95_MS ? 'met' : '**missed**'}.`
    ]
    writeSection(file, QUERY_START, QUERY_END, lines.join('\n'))
    return { worstP95, problems: [] }
  } finally {
    await engine.stop()
  }
}
