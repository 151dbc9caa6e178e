// The Action destination driver: runs one of Segment's open-source Action destinations in-process.
// Each enabled subscription runs on its own (never several in one onEvent, whose single rejection hides
// which vendor calls already went out): events are matched against its FQL, then sent in chunks through
// performBatch when the action batches, else one call per event. When a send stops for a retry (a 5xx in a
// later subscription), what already went out is remembered for the retry of those events (sent-memory.ts).
// A replay dry run (describe) runs the same code against an in-process agent that answers every request.

import type { ActionsSettings, ActionSubscription, CatalogueAction, CatalogueDestination } from '../../../../src-shared/api'
import { sample, type DestinationDriver, type DriverEnv, type SegmentEvent, type SendResult } from '../driver'
import { maskSecret } from '../../secrets/mask'
import { capturingAgent } from './capture'
import { catalogue, isSecretSetting } from './catalogue'
import { classifyError, isRetryableStatus } from './errors'
import { instrumentDefinition, recordedSignal, type SendRecord } from './instrument'
import { previewText } from './preview'
import { loopbackRedirect, type AgentOption } from './redirect'
import { actionsCore, destinationSubscriptions, loadDefinition, type ActionsDestination, type FqlAst } from './segment-packages'
import { SentMemory } from './sent-memory'

const REQUEST_TIMEOUT_MS = 10_000
/** Events per send when some subscription batches (its own chunk size still applies). */
const MAX_SEND_EVENTS = 500
const DEFAULT_CHUNK = 100
/** Per-event calls in flight at once within one send (only when a send holds several events). */
const PER_EVENT_CONCURRENCY = 8
/** Events per send when no subscription batches. */
const UNBATCHED_SEND_EVENTS = 50
/**
 * Destinations that reach their service through a client of their own (AWS SDK, kafkajs, SFTP) rather than
 * actions-core's request client, which is the only path the dry run's agent can answer: their code is not run
 * for a dry run, which must not touch the network. Found by the package's requires of such clients.
 */
const OWN_CLIENT = new Set(['amazon-eventbridge', 'aws-kinesis', 'aws-s3', 'kafka', 'liveramp-audiences', 's3', 'sftp', 'the-trade-desk-crm'])

interface Plan {
  index: number
  subscription: ActionSubscription
  action: CatalogueAction
  /** Events per performBatch call; 0 = one executeAction per event. */
  chunk: number
  ast: FqlAst | null
}

type Stop = { status: number | null; reason: string; retryAfterMs: number | null }

/** What running the subscriptions over some events did. */
interface Run {
  executed: number
  stop: Stop | null
  failures: Map<number, { status: number; reason: string }>
  /** Indexes of the events some enabled subscription matches. */
  matched: Set<number>
  /** `subscription:messageId` delivered, including what was delivered before and skipped. */
  sent: Set<string>
}

export function actionsDriver(name: string, settings: ActionsSettings, env: DriverEnv): DestinationDriver {
  const entry = catalogue().find(settings.slug)
  if (!entry || entry.unavailable) {
    const reason = entry ? `${entry.name} cannot run locally: ${entry.unavailable}` : `"${settings.slug}" is not in this version's Action destinations catalogue`
    return refusingDriver(name, reason)
  }
  const plans = plan(entry, settings.subscriptions ?? [])
  const batching = plans.filter((p) => p.chunk > 0)
  const destinationSettings = withDefaults(entry, settings.settings)
  const secrets = entry.settings.filter(isSecretSetting).map((f) => destinationSettings[f.key]).filter((v): v is string => typeof v === 'string' && v.length >= 4)
  const redirect = env.actionsRedirect ? loopbackRedirect(env.actionsRedirect) : null
  const memory = new SentMemory()
  let runtime: ActionsDestination | null = null
  let previewRuntime: ActionsDestination | null = null

  // Loaded on first use, by deep path: ~150 ms for one destination instead of the whole package.
  const load = (agent: AgentOption | null): ActionsDestination => {
    const definition = instrumentDefinition(loadDefinition(entry.slug), { agent, timeoutMs: REQUEST_TIMEOUT_MS })
    const destination = new (actionsCore().Destination)(definition)
    // Destination keeps every response its actions emit in an ever-growing array: not wanted here.
    for (const action of Object.values(destination.actions)) action.removeAllListeners('response')
    return destination
  }

  // Also as a URL or form body carries them (Mixpanel's engage `data=`, GA4's `api_secret=`).
  const secretForms = secrets.flatMap((secret) => [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ s: secret }).toString().slice(2)])].map((form) => [form, maskSecret(secret)] as const))
  const redact = (text: string): string => secretForms.reduce((t, [form, masked]) => t.split(form).join(masked), text)

  const runAll = async (destination: ActionsDestination, events: SegmentEvent[], signal: AbortSignal, sentBefore: ReadonlySet<string>): Promise<Run> => {
    const run: Run = { executed: 0, stop: null, failures: new Map(), matched: new Set(), sent: new Set(sentBefore) }
    for (const p of plans) {
      events.forEach((event, i) => matches(p, event) && run.matched.add(i))
      const matching = events.map((event, i) => ({ event, i })).filter(({ event }) => matches(p, event) && !run.sent.has(keyOf(p, event) ?? ''))
      if (matching.length === 0) continue
      const fail: Fail = (i, status, reason) => {
        if (!run.failures.has(i)) run.failures.set(i, { status, reason: `${p.subscription.name}: ${reason}` })
      }
      const done: Done = (i) => {
        const key = keyOf(p, events[i]!)
        if (key) run.sent.add(key)
      }
      const outcome = await (p.chunk > 0 ? runBatched : runEach)(destination, p, matching, destinationSettings, signal, fail, done)
      run.executed += outcome.executed
      if (outcome.stop) {
        run.stop = outcome.stop
        break
      }
    }
    return run
  }

  return {
    // Without batching, a send still carries several events, run PER_EVENT_CONCURRENCY at a time: one attempt
    // record per send instead of per event.
    batchSize: batching.length > 0 ? Math.min(MAX_SEND_EVENTS, Math.max(...batching.map((p) => p.chunk))) : UNBATCHED_SEND_EVENTS,
    integrationNames: [...new Set([...entry.integrationNames, name])],
    async send(events: SegmentEvent[], signal: AbortSignal): Promise<SendResult> {
      const { signal: own, record } = recordedSignal(signal)
      let destination: ActionsDestination
      try {
        destination = runtime ??= load(redirect?.agent ?? null)
      } catch (error) {
        // Retried rather than refused: a broken install can be repaired while the events wait.
        return { status: 500, error: `could not load ${entry.name}: ${(error as Error).message}`, retryAfterMs: null, requestSample: '(nothing sent)', responseSample: null }
      }
      const ids = messageIdsOf(events)
      const before = memory.recall(ids)
      const run = await runAll(destination, events, own, before.sent)
      if (run.stop) memory.remember(before, ids, run.sent)
      else memory.forget(before)
      const out = result(events.length, record, run.failures, run.executed, run.stop, redact)
      const skipped = events.map((_, index) => index).filter((index) => !run.matched.has(index))
      if (skipped.length > 0 && !run.stop) out.skipped = skipped.map((index) => ({ index, reason: 'no enabled subscription of this destination matches the event' }))
      return out
    },
    async describe(events: SegmentEvent[]): Promise<string> {
      if (OWN_CLIENT.has(entry.slug)) {
        return `(${entry.name} reaches its service through its own client, which a dry run cannot answer without the network: its requests cannot be shown. The events it would get:)\n${redact(JSON.stringify(events.length === 1 ? events[0] : events, null, 2))}`
      }
      let destination: ActionsDestination
      try {
        destination = previewRuntime ??= load(capturingAgent())
      } catch (error) {
        return `(could not load ${entry.name}: ${(error as Error).message})`
      }
      // Its own record and no retry memory: a dry run neither skips what a stopped send delivered nor adds to it.
      const { signal, record } = recordedSignal(AbortSignal.timeout(REQUEST_TIMEOUT_MS))
      const run = await runAll(destination, events, signal, new Set())
      return redact(previewText(events, { ...run, exchanges: record.exchanges }))
    },
    async close() {
      redirect?.close()
    }
  }
}

type Fail = (index: number, status: number, reason: string) => void
type Done = (index: number) => void
type Outcome = { executed: number; stop: Stop | null }

async function runEach(destination: ActionsDestination, p: Plan, matching: { event: SegmentEvent; i: number }[], settings: Record<string, unknown>, signal: AbortSignal, fail: Fail, done: Done): Promise<Outcome> {
  let executed = 0
  let stop: Stop | null = null
  let next = 0
  const worker = async (): Promise<void> => {
    while (!stop && next < matching.length) {
      const { event, i } = matching[next++]!
      try {
        await destination.executeAction(p.subscription.partnerAction, { event, mapping: p.subscription.mapping, settings, auth: {}, features: {}, signal })
        executed++
        done(i)
      } catch (error) {
        const verdict = classifyError(error)
        if (verdict.kind === 'stop') stop ??= { status: verdict.status, reason: verdict.reason, retryAfterMs: verdict.retryAfterMs }
        else fail(i, verdict.status, verdict.reason)
      }
    }
  }
  await Promise.all(Array.from({ length: Math.min(PER_EVENT_CONCURRENCY, matching.length) }, worker))
  return { executed, stop }
}

async function runBatched(destination: ActionsDestination, p: Plan, matching: { event: SegmentEvent; i: number }[], settings: Record<string, unknown>, signal: AbortSignal, fail: Fail, done: Done): Promise<Outcome> {
  let executed = 0
  for (let start = 0; start < matching.length; start += p.chunk) {
    const chunk = matching.slice(start, start + p.chunk)
    try {
      const statuses = await destination.executeBatch(p.subscription.partnerAction, { events: chunk.map((c) => c.event), mapping: p.subscription.mapping, settings, auth: {}, features: {}, signal })
      executed++
      let retry: Stop | null = null
      chunk.forEach(({ i }, n) => {
        const entry = statuses[n]
        const status = entry?.status ?? 200
        if (status < 400) return done(i)
        const reason = `HTTP ${status}${entry?.errormessage ? `: ${entry.errormessage}` : ''}`
        if (isRetryableStatus(status)) retry ??= { status, reason, retryAfterMs: null }
        else fail(i, status, reason)
      })
      if (retry) return { executed, stop: retry }
    } catch (error) {
      const verdict = classifyError(error)
      if (verdict.kind === 'stop') return { executed, stop: { status: verdict.status, reason: verdict.reason, retryAfterMs: verdict.retryAfterMs } }
      for (const { i } of chunk) fail(i, verdict.status, verdict.reason)
    }
  }
  return { executed, stop: null }
}

function result(count: number, record: SendRecord, failures: Map<number, { status: number; reason: string }>, executed: number, stop: Stop | null, redact: (text: string) => string): SendResult {
  const exchange = record.telling()
  const requestSample = exchange
    ? sample(redact(`${exchange.method} ${exchange.url ?? '(no answer)'}\n${exchange.body}`))
    : executed > 0
      ? '(sent without HTTP)'
      : stop
        ? '(nothing sent)'
        : failures.size > 0
          ? sample(`(nothing sent: ${failures.values().next().value!.reason})`)
          : '(nothing sent: no enabled subscription matches these events)'
  const responseSample = exchange?.response != null ? sample(redact(exchange.response)) : null
  if (stop) return { status: stop.status, error: stop.reason, retryAfterMs: stop.retryAfterMs, requestSample, responseSample }
  if (failures.size === count) {
    const first = failures.values().next().value!
    return { status: first.status, error: first.reason, retryAfterMs: null, requestSample, responseSample }
  }
  // Nothing matched: "No Content" — delivered in the router's terms, with nothing to deliver.
  const status = executed === 0 ? 204 : exchange?.status != null && exchange.status < 400 ? exchange.status : 200
  const out: SendResult = { status, error: null, retryAfterMs: null, requestSample, responseSample }
  if (failures.size > 0) out.eventFailures = [...failures].map(([index, f]) => ({ index, reason: f.reason }))
  return out
}

function plan(entry: CatalogueDestination, subscriptions: ActionSubscription[]): Plan[] {
  const plans: Plan[] = []
  subscriptions.forEach((subscription, index) => {
    const action = entry.actions.find((a) => a.key === subscription.partnerAction)
    if (!subscription.enabled || !action) return
    plans.push({ index, subscription, action, chunk: chunkSize(action, subscription.mapping), ast: null })
  })
  return plans
}

/** Batch when the action can and the mapping asks for it (`enable_batching`, or a positive `batch_size`). */
function chunkSize(action: CatalogueAction, mapping: Record<string, unknown>): number {
  if (!action.batching) return 0
  const hasSwitch = action.fields.some((f) => f.key === 'enable_batching')
  const size = typeof mapping.batch_size === 'number' ? mapping.batch_size : action.fields.find((f) => f.key === 'batch_size')?.default
  if (hasSwitch ? mapping.enable_batching !== true : typeof size === 'number' && size <= 0) return 0
  return typeof size === 'number' && size > 0 ? Math.min(Math.floor(size), MAX_SEND_EVENTS) : DEFAULT_CHUNK
}

function matches(p: Plan, event: SegmentEvent): boolean {
  const fql = destinationSubscriptions()
  p.ast ??= fql.parseFql(p.subscription.subscribe)
  return !p.ast.error && fql.validate(p.ast, event)
}

/** Events without a messageId are never skipped on a retry (nothing to recognise them by). */
function keyOf(p: Plan, event: SegmentEvent): string | null {
  return typeof event.messageId === 'string' ? `${p.index}:${event.messageId}` : null
}

function messageIdsOf(events: SegmentEvent[]): string[] {
  return events.map((e) => e.messageId).filter((id): id is string => typeof id === 'string')
}

function withDefaults(entry: CatalogueDestination, settings: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const field of entry.settings) if (field.default !== undefined) out[field.key] = field.default
  return { ...out, ...settings }
}

function refusingDriver(name: string, reason: string): DestinationDriver {
  return {
    batchSize: 1,
    integrationNames: [name],
    async send(): Promise<SendResult> {
      return { status: 400, error: reason, retryAfterMs: null, requestSample: '(nothing sent)', responseSample: null }
    },
    describe(): string {
      return `(nothing would be sent: ${reason})`
    }
  }
}
