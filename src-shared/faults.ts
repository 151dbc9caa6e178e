// Fault injection on the tracking surface (QA mode): rules that make a source's requests fail on purpose,
// so an SDK's retry behaviour can be tested. An injected failure never stores the event.

export const FAULT_KINDS = ['429', '500', '503', 'delay', 'drop'] as const
export type FaultKind = (typeof FAULT_KINDS)[number]

/** The tracking paths a rule may be limited to (the routes of the tracking surface that store events). */
export const FAULT_PATHS = [
  '/v1/batch', '/v1/import', '/v1/b', '/b',
  '/v1/identify', '/v1/i', '/v1/track', '/v1/t', '/v1/page', '/v1/p',
  '/v1/screen', '/v1/s', '/v1/group', '/v1/g', '/v1/alias', '/v1/a'
] as const

export const FAULT_LIMITS = { maxRetryAfterSeconds: 3600, maxDelayMs: 60_000, maxCount: 1_000_000, maxRulesPerSource: 50 } as const

export interface FaultRule {
  id: number
  sourceId: number
  /** One tracking path; null = every tracking path. */
  path: string | null
  kind: FaultKind
  /** 429 only: the Retry-After header sent. */
  retryAfterSeconds: number | null
  /** delay only: how long the request is held before it is handled normally. */
  delayMs: number | null
  /** Share of matching requests that get the fault, 0..1. */
  probability: number
  /** Stop after this many injections; null = no limit. */
  count: number | null
  enabled: boolean
  /** How many times this rule fired so far. */
  injected: number
  createdAt: string
}

export interface CreateFaultRuleRequest {
  sourceId: number
  path?: string | null
  kind: FaultKind
  retryAfterSeconds?: number
  delayMs?: number
  probability?: number
  count?: number | null
  enabled?: boolean
}

/** Every field optional; `resetInjected: true` sets the counter back to 0 (a spent `count` fires again). */
export type UpdateFaultRuleRequest = Partial<Omit<CreateFaultRuleRequest, 'sourceId'>> & { resetInjected?: boolean }

/** One injected failure, as kept in the in-memory ring of the last 100. */
export interface InjectedFault {
  at: string
  ruleId: number
  sourceId: number
  kind: FaultKind
  path: string
  /** The messageIds of the refused request when its body carried them. */
  messageIds: string[]
}

export interface FaultsState {
  rules: FaultRule[]
  /** Newest first. */
  recent: InjectedFault[]
}
