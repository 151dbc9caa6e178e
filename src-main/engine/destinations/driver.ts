// One interface for every kind of destination: take events in Segment's delivered shape, send them,
// and say what the other side answered. Retry decisions are the router's (routing/retry-policy.ts).

import type { ActionsSettings, DestinationKind, DestinationSettings, FileSettings, SegmentForwardSettings, WebhookSettings } from '../../../src-shared/api'
import { actionsDriver } from './actions/driver'
import { fileDriver } from './file'
import { segmentForwardDriver } from './segment-forward'
import { webhookDriver } from './webhook'
import { warehouseDriver } from './warehouse/driver'
import type { WarehouseSettings } from '../../../src-shared/warehouse'

export type SegmentEvent = Record<string, unknown>

export interface ForgetUser {
  kind: 'userId' | 'anonymousId'
  id: string
  /**
   * Only what was received before this time (epoch ms; absent: everything). A deletion removes the events
   * received before it was requested, from Loupe and from every destination alike: events that arrive while
   * it runs are kept everywhere, so Loupe and its archive and warehouse never disagree.
   */
  before?: number
}

export interface SendResult {
  /** HTTP status, or null when no answer came (network error, timeout). */
  status: number | null
  error: string | null
  /** From a Retry-After header, when the destination sent one. */
  retryAfterMs: number | null
  requestSample: string
  responseSample: string | null
  /**
   * Events the destination refused on their own while the rest of the request went through (a multi-status
   * answer): indexes into the events given to send(). They fail for good; the others count as delivered.
   */
  eventFailures?: { index: number; reason: string }[]
  /** Events the destination had nothing to send for (e.g. no Action subscription matches them): filtered, not delivered. */
  skipped?: { index: number; reason: string }[]
}

/** An event already serialized as one line of JSON (no newline), for drivers that write lines. */
export interface EventLine {
  json: string
  /** The event's receivedAt (the archive partitions by its day). */
  receivedAt: unknown
}

export function eventLine(event: SegmentEvent): EventLine {
  // JSON.stringify escapes line breaks inside strings, so one event is always exactly one line.
  return { json: JSON.stringify(event), receivedAt: event.receivedAt }
}

/** What drivers may need from the engine besides their settings. */
export interface DriverEnv {
  /** Test/dev only: send every Action destination's vendor HTTP to this loopback base URL instead. */
  actionsRedirect: string | null
  /** The destination's id, for drivers that keep per-destination state (e.g. the file destination's folder). */
  destinationId: number
  /** The source's name for an event's source id (file partitions by source). */
  sourceName(sourceId: number): string | null
}

export interface DestinationDriver {
  /** Events per request (1 = one request per event). */
  batchSize: number
  /** Names an event's `integrations` object may use for this destination. */
  integrationNames: string[]
  /** `sourceIds[i]` is the source of `events[i]`. */
  send(events: SegmentEvent[], signal: AbortSignal, sourceIds: number[]): Promise<SendResult>
  /**
   * Drivers that write each event as a line of JSON (the archive) take them serialized: the router then
   * makes most lines straight from the stored text (routing/outgoing-line.ts). Same answer as send() of the
   * parsed lines.
   */
  sendLines?(lines: EventLine[], signal: AbortSignal, sourceIds: number[]): Promise<SendResult>
  /**
   * The request(s) send() would make for these events, as text, without sending anything anywhere (replay dry
   * run). May be async: an Action destination runs its real code against an in-process agent to find out.
   */
  describe?(events: SegmentEvent[], sourceIds: number[]): string | Promise<string>
  /** Release files, sockets or loaded code when the destination is changed, deleted or Loupe stops. */
  close?(): Promise<void>
  /**
   * Loads on a schedule (a warehouse): after a load, the next one starts no sooner than this many ms later
   * (events wait in the log meanwhile); "sync now" starts one at once. Absent or 0: send as events arrive.
   */
  loadIntervalMs?: number
  /** Keeps the data (a warehouse, an archive): failing batches are retried until it answers, never expired. */
  keepsData?: boolean
  /**
   * A privacy deletion: removes what the destination keeps of this user (archive lines, warehouse rows) and
   * returns how many lines or rows went. Only destinations that store data have it.
   */
  forgetUser?(who: ForgetUser): Promise<number>
}

export function createDriver(kind: DestinationKind, name: string, settings: DestinationSettings, env: DriverEnv): DestinationDriver {
  switch (kind) {
    case 'webhook':
      return webhookDriver(name, settings as WebhookSettings)
    case 'segment':
      return segmentForwardDriver(name, settings as SegmentForwardSettings)
    case 'actions':
      return actionsDriver(name, settings as ActionsSettings, env)
    case 'file':
      return fileDriver(name, settings as FileSettings, env)
    case 'warehouse':
      return warehouseDriver(name, settings as WarehouseSettings, env)
  }
}

/** The first part of a request or response body, for the delivery log. */
export function sample(text: string, max = 2048): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text
}
