// The load generator, run as its own process (`node --import tsx bench/load.ts '<LoadConfig JSON>'`) so it
// never shares a CPU turn with the server it measures. Drives autocannon's programmatic API with a fresh
// body per request, times every 2xx answer itself (autocannon's histogram has whole-millisecond
// resolution) and prints one LoadResult as JSON on stdout.

import autocannon from 'autocannon'
import { createBodyFactory, type BodyKind } from './payloads'
import { createPrivacyBodyFactory } from './privacy-payloads'

export interface LoadConfig {
  url: string
  path: string
  /** `privacy-batch`: browser batches full of personal data (bench/privacy-payloads.ts). */
  kind: BodyKind | 'privacy-batch'
  writeKey: string
  connections: number
  /** Run for this long (a warm-up) … */
  durationSeconds?: number
  /** … or send exactly this many requests and wait for every answer (a measured run). */
  amount?: number
  /** A measured run that takes longer than this is stopped (its in-flight requests are then unanswered). */
  maxSeconds: number
}

export interface LoadResult {
  seconds: number
  sent: number
  ok: number
  non2xx: number
  errors: number
  timeouts: number
  statusCodes: Record<string, number>
  eventsPerRequest: number
  /** CPU time this load generator used, seconds. */
  cpuSeconds: number
  latencyMs: { p50: number; p99: number; mean: number; max: number }
  stoppedEarly: boolean
}

function main(): void {
  const config = JSON.parse(process.argv[2] ?? '') as LoadConfig
  const bodies = config.kind === 'privacy-batch' ? createPrivacyBodyFactory(config.writeKey) : createBodyFactory(config.kind, config.writeKey)
  const latencies = new Latencies()
  const started = performance.now()
  const cpuAtStart = process.cpuUsage()
  let lastAnswer = 0
  let sent = 0
  let stoppedEarly = false

  const instance = autocannon(
    {
      url: config.url,
      connections: config.connections,
      pipelining: 1,
      timeout: 10,
      sampleInt: 100,
      ...(config.amount ? { amount: config.amount } : { duration: config.durationSeconds ?? 2 }),
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: `Basic ${Buffer.from(`${config.writeKey}:`).toString('base64')}`,
        'user-agent': 'analytics-node-next/latest'
      },
      requests: [
        {
          setupRequest(request) {
            sent++
            return { ...request, method: 'POST', path: config.path, body: bodies.next() }
          }
        }
      ]
    },
    (error, result) => {
      clearTimeout(guard)
      if (error) {
        process.stderr.write(`autocannon failed: ${error.stack ?? error.message}\n`)
        process.exit(1)
      }
      const statusCodes: Record<string, number> = {}
      for (const [code, { count }] of Object.entries(result.statusCodeStats)) statusCodes[code] = count
      const answer: LoadResult = {
        seconds: lastAnswer > started ? (lastAnswer - started) / 1000 : result.duration,
        sent,
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes,
        eventsPerRequest: bodies.eventsPerRequest,
        cpuSeconds: cpuSecondsSince(cpuAtStart),
        latencyMs: latencies.summary(),
        stoppedEarly
      }
      process.stdout.write(`${JSON.stringify(answer)}\n`)
    }
  )
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    lastAnswer = performance.now()
    if (statusCode >= 200 && statusCode < 300) latencies.add(responseTime)
  })
  const guard = setTimeout(() => {
    stoppedEarly = true
    instance.stop()
  }, config.maxSeconds * 1000)
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start)
  return (used.user + used.system) / 1e6
}

/** Every latency in a growable Float64Array; percentiles by sorting once at the end. */
class Latencies {
  private values = new Float64Array(1 << 16)
  private count = 0

  add(ms: number): void {
    if (this.count === this.values.length) {
      const bigger = new Float64Array(this.values.length * 2)
      bigger.set(this.values)
      this.values = bigger
    }
    this.values[this.count++] = ms
  }

  summary(): LoadResult['latencyMs'] {
    const sorted = this.values.subarray(0, this.count).sort()
    const at = (q: number): number => sorted[Math.min(this.count - 1, Math.ceil(q * this.count) - 1)] ?? 0
    let sum = 0
    for (const v of sorted) sum += v
    return { p50: at(0.5), p99: at(0.99), mean: this.count ? sum / this.count : 0, max: sorted[this.count - 1] ?? 0 }
  }
}

main()
