// Admin input of fault rules → the rule's settings, or an ApiError naming the first bad field.
// One function serves create and update: an update is the stored settings with the sent fields over them,
// validated as a whole (changing `kind` to 'delay' must bring a `delayMs`).

import { FAULT_KINDS, FAULT_LIMITS, FAULT_PATHS, type FaultKind, type FaultRule } from '../../../src-shared/faults'
import { ApiError } from '../errors'

export type FaultSettings = Pick<FaultRule, 'sourceId' | 'path' | 'kind' | 'retryAfterSeconds' | 'delayMs' | 'probability' | 'count' | 'enabled'>

const CREATE_FIELDS = ['sourceId', 'path', 'kind', 'retryAfterSeconds', 'delayMs', 'probability', 'count', 'enabled']
const UPDATE_FIELDS = [...CREATE_FIELDS.filter((f) => f !== 'sourceId'), 'resetInjected']
const DEFAULT_RETRY_AFTER_SECONDS = 1

export function parseCreate(body: unknown): FaultSettings {
  const input = objectBody(body, CREATE_FIELDS)
  return settings(input, null)
}

export function parseUpdate(body: unknown, current: FaultSettings): { settings: FaultSettings; resetInjected: boolean } {
  const input = objectBody(body, UPDATE_FIELDS)
  if (input.resetInjected !== undefined && typeof input.resetInjected !== 'boolean') invalid('resetInjected', 'resetInjected must be true or false.')
  return { settings: settings(input, current), resetInjected: input.resetInjected === true }
}

function settings(input: Record<string, unknown>, current: FaultSettings | null): FaultSettings {
  const has = (key: string): boolean => input[key] !== undefined
  const sourceId = current ? current.sourceId : integer(input.sourceId, 'sourceId', 1, Number.MAX_SAFE_INTEGER, true)!
  const kind = has('kind') || !current ? faultKind(input.kind) : current.kind
  const path = has('path') ? faultPath(input.path) : (current?.path ?? null)
  const probability = has('probability') ? probabilityOf(input.probability) : (current?.probability ?? 1)
  const count = has('count') ? integer(input.count, 'count', 1, FAULT_LIMITS.maxCount, false) : (current?.count ?? null)
  const enabled = has('enabled') ? bool(input.enabled, 'enabled') : (current?.enabled ?? true)

  if (has('retryAfterSeconds') && kind !== '429') invalid('retryAfterSeconds', `retryAfterSeconds applies to kind "429" only (this rule is "${kind}").`)
  if (has('delayMs') && kind !== 'delay') invalid('delayMs', `delayMs applies to kind "delay" only (this rule is "${kind}").`)
  let retryAfterSeconds: number | null = null
  let delayMs: number | null = null
  if (kind === '429') {
    retryAfterSeconds = has('retryAfterSeconds')
      ? integer(input.retryAfterSeconds, 'retryAfterSeconds', 0, FAULT_LIMITS.maxRetryAfterSeconds, true)!
      : (current?.retryAfterSeconds ?? DEFAULT_RETRY_AFTER_SECONDS)
  }
  if (kind === 'delay') {
    const raw = has('delayMs') ? input.delayMs : current?.delayMs
    if (raw === undefined || raw === null) invalid('delayMs', 'A "delay" rule needs delayMs (milliseconds, 1 to 60000).')
    delayMs = integer(raw, 'delayMs', 1, FAULT_LIMITS.maxDelayMs, true)!
  }
  return { sourceId, path, kind, retryAfterSeconds, delayMs, probability, count, enabled }
}

function objectBody(body: unknown, allowed: string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', 'The body must be a JSON object.')
  const unknown = Object.keys(body).find((key) => !allowed.includes(key))
  if (unknown !== undefined) invalid(unknown, `Unknown field "${unknown}"; a fault rule has ${allowed.join(', ')}.`)
  return body as Record<string, unknown>
}

function faultKind(value: unknown): FaultKind {
  if (typeof value === 'string' && (FAULT_KINDS as readonly string[]).includes(value)) return value as FaultKind
  return invalid('kind', `kind must be one of ${FAULT_KINDS.map((k) => `"${k}"`).join(', ')}.`)
}

function faultPath(value: unknown): string | null {
  if (value === null || value === '' || value === '*') return null
  if (typeof value === 'string' && (FAULT_PATHS as readonly string[]).includes(value)) return value
  return invalid('path', `path must be a tracking path (${FAULT_PATHS.join(', ')}) or null for all of them.`)
}

function probabilityOf(value: unknown): number {
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0 && value <= 1) return value
  return invalid('probability', 'probability must be a number from 0 to 1 (1 = every matching request).')
}

function integer(value: unknown, field: string, min: number, max: number, required: boolean): number | null {
  if (value === null && !required) return null
  if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value
  return invalid(field, `${field} must be a whole number from ${min} to ${max}${required ? '' : ', or null'}.`)
}

function bool(value: unknown, field: string): boolean {
  if (typeof value === 'boolean') return value
  return invalid(field, `${field} must be true or false.`)
}

function invalid(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', message, field)
}
