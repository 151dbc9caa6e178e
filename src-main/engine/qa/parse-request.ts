// Request bodies and query strings of the QA API → compiled matchers and count rules. Every refusal names
// the field (`match.where[0].matches`), so a client sees what to fix; unknown fields are refused, so a typo
// (`"properties": …` instead of a `where` condition) is an error, not a silently broader match.

import type { AssertRequest, CountExpectation, EventMatcher, FieldCondition } from '../../../src-shared/qa'
import { isSegmentType, type SegmentType } from '../../../src-shared/segment'
import type { ErrorCode } from '../../../src-shared/errors'
import { ApiError } from '../errors'
import { AT_LEAST_ONE, type CompiledCondition, type CompiledMatcher, type CountRule } from './matcher'
import { parsePath } from './path'
import { durationMs } from '../../../src-shared/duration'

export const MAX_TIMEOUT_MS = 300_000
export const DEFAULT_LIMIT = 20
export const MAX_LIMIT = 500

export interface ParsedAssert {
  matcher: CompiledMatcher
  count: CountRule
  timeoutMs: number
  limit: number
}

const MATCHER_KEYS = ['type', 'event', 'userId', 'anonymousId', 'sourceId', 'runId', 'since', 'until', 'where']
const CONDITION_KEYS = ['path', 'equals', 'exists', 'matches']

export function invalid(field: string, message: string, code: ErrorCode = 'ERR_ADMIN_INVALID_BODY'): never {
  throw new ApiError(400, code, `${field}: ${message}`, field)
}

export function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) invalid(field, 'must be a JSON object')
  return value as Record<string, unknown>
}

function onlyKeys(value: Record<string, unknown>, keys: readonly string[], field: string): void {
  for (const key of Object.keys(value)) {
    if (!keys.includes(key)) invalid(field ? `${field}.${key}` : key, `unknown field; expected one of ${keys.join(', ')}`)
  }
}

function text(value: unknown, field: string): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value.length === 0 || value.length > 1000) invalid(field, 'must be a non-empty string of at most 1000 characters')
  return value
}

export function wholeNumber(value: unknown, field: string, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) invalid(field, `must be a whole number from 0 to ${max}`)
  return value
}

function time(value: unknown, field: string): number | undefined {
  const raw = text(value, field)
  if (raw === undefined) return undefined
  const ms = Date.parse(raw)
  if (Number.isNaN(ms)) invalid(field, `must be an ISO-8601 time such as 2024-05-01T12:00:00Z; got ${JSON.stringify(raw)}`)
  return ms
}

export function parseMatcher(raw: unknown, field: string): CompiledMatcher {
  const m = objectAt(raw, field) as EventMatcher & Record<string, unknown>
  onlyKeys(m, MATCHER_KEYS, field)
  const types = m.type === undefined ? null : (Array.isArray(m.type) ? m.type : [m.type]).map((t, i) => {
    if (!isSegmentType(t)) invalid(Array.isArray(m.type) ? `${field}.type[${i}]` : `${field}.type`, 'must be one of identify, track, page, screen, group, alias')
    return t as SegmentType
  })
  if (types && types.length === 0) invalid(`${field}.type`, 'must name at least one call type')
  const matcher: CompiledMatcher = {
    types,
    event: text(m.event, `${field}.event`),
    userId: text(m.userId, `${field}.userId`),
    anonymousId: text(m.anonymousId, `${field}.anonymousId`),
    sourceId: wholeNumber(m.sourceId, `${field}.sourceId`),
    runId: text(m.runId, `${field}.runId`),
    since: time(m.since, `${field}.since`),
    until: time(m.until, `${field}.until`),
    where: []
  }
  if (matcher.runId !== undefined && matcher.runId.length > 100) invalid(`${field}.runId`, 'must be at most 100 characters')
  if (m.where !== undefined) {
    if (!Array.isArray(m.where) || m.where.length > 50) invalid(`${field}.where`, 'must be a list of at most 50 conditions')
    matcher.where = m.where.map((c, i) => parseCondition(c, `${field}.where[${i}]`))
  }
  for (const key of Object.keys(matcher) as (keyof CompiledMatcher)[]) if (matcher[key] === undefined) delete matcher[key]
  return matcher
}

function parseCondition(raw: unknown, field: string): CompiledCondition {
  const c = objectAt(raw, field) as Partial<FieldCondition> & Record<string, unknown>
  onlyKeys(c, CONDITION_KEYS, field)
  if (typeof c.path !== 'string') invalid(`${field}.path`, 'must be a dotted path such as properties.total or properties.items[0].sku')
  const segments = parsePath(c.path)
  if (!segments) invalid(`${field}.path`, `${JSON.stringify(c.path)} is not a dotted path such as properties.total or properties.items[0].sku`)
  const condition: CompiledCondition = { path: c.path, segments }
  if ('equals' in c) condition.equals = { value: c.equals }
  if (c.exists !== undefined) {
    if (typeof c.exists !== 'boolean') invalid(`${field}.exists`, 'must be true or false')
    condition.exists = c.exists
  }
  if (c.matches !== undefined) {
    if (typeof c.matches !== 'string' || c.matches.length > 1000) invalid(`${field}.matches`, 'must be a regular expression of at most 1000 characters')
    // Event values are attacker-controlled and JavaScript regexes backtrack: a quantified group that itself
    // repeats (`(a+)+`, `(\w+\s?)*`) can take exponential time on a crafted value, on the engine's main thread.
    if (/\([^)]*[+*}][^)]*\)\s*[+*{]/.test(c.matches)) invalid(`${field}.matches`, 'must not repeat a group that itself repeats (e.g. "(a+)+"): such patterns can take exponential time')
    try {
      condition.matches = new RegExp(c.matches)
    } catch (error) {
      invalid(`${field}.matches`, `is not a valid regular expression: ${(error as Error).message}`)
    }
  }
  if (!('equals' in c) && c.exists === undefined && c.matches === undefined) invalid(field, 'needs equals, exists or matches')
  return condition
}

/** A count: a number means exactly that many; an object gives exactly, or min and/or max. */
export function parseCount(raw: unknown, field: string): CountRule {
  if (raw === undefined) return AT_LEAST_ONE
  if (typeof raw === 'number') {
    const n = wholeNumber(raw, field)!
    return { min: n, max: n }
  }
  const c = objectAt(raw, field) as CountExpectation & Record<string, unknown>
  onlyKeys(c, ['exactly', 'min', 'max'], field)
  const exactly = wholeNumber(c.exactly, `${field}.exactly`)
  const min = wholeNumber(c.min, `${field}.min`)
  const max = wholeNumber(c.max, `${field}.max`)
  if (exactly !== undefined) {
    if (min !== undefined || max !== undefined) invalid(field, 'give exactly alone, or min and/or max')
    return { min: exactly, max: exactly }
  }
  if (min === undefined && max === undefined) return AT_LEAST_ONE
  if (min !== undefined && max !== undefined && min > max) invalid(`${field}.min`, `is larger than max (${max})`)
  return { min: min ?? 0, max: max ?? null }
}

export function parseAssertBody(body: unknown): ParsedAssert {
  const b = objectAt(body, 'body') as Partial<AssertRequest> & Record<string, unknown>
  onlyKeys(b, ['match', 'count', 'timeoutMs', 'limit'], '')
  if (b.match === undefined) invalid('match', 'is required (use {} to match every event)')
  return {
    matcher: parseMatcher(b.match, 'match'),
    count: parseCount(b.count, 'count'),
    timeoutMs: wholeNumber(b.timeoutMs, 'timeoutMs', MAX_TIMEOUT_MS) ?? 0,
    limit: limitOf(wholeNumber(b.limit, 'limit', MAX_LIMIT))
  }
}

function limitOf(limit: number | undefined): number {
  return limit === undefined || limit === 0 ? DEFAULT_LIMIT : limit
}

const QUERY_KEYS = ['type', 'event', 'userId', 'anonymousId', 'sourceId', 'runId', 'since', 'until', 'count', 'min', 'max', 'timeoutMs', 'limit']

/** GET /api/assert/events: the same request as query parameters (no `where`); errors name the parameter. */
export function parseAssertQuery(query: Record<string, unknown>): ParsedAssert {
  const bad = (field: string, message: string): never => invalid(field, message, 'ERR_ADMIN_INVALID_QUERY')
  const value = (key: string): string | undefined => {
    const v = query[key]
    if (v === undefined || v === '') return undefined
    if (typeof v !== 'string') bad(key, 'must be given once')
    return v as string
  }
  const number = (key: string, max?: number): number | undefined => {
    const v = value(key)
    if (v === undefined) return undefined
    if (!/^\d{1,15}$/.test(v) || (max !== undefined && Number(v) > max)) bad(key, `must be a whole number${max !== undefined ? ` from 0 to ${max}` : ''}`)
    return Number(v)
  }
  for (const key of Object.keys(query)) if (!QUERY_KEYS.includes(key)) bad(key, `unknown parameter; expected one of ${QUERY_KEYS.join(', ')}`)
  const type = value('type')
  const raw: EventMatcher = {
    type: type === undefined ? undefined : (type.split(',') as SegmentType[]),
    event: value('event'),
    userId: value('userId'),
    anonymousId: value('anonymousId'),
    sourceId: number('sourceId'),
    runId: value('runId'),
    since: value('since'),
    until: value('until')
  }
  let matcher: CompiledMatcher
  try {
    matcher = parseMatcher(JSON.parse(JSON.stringify(raw)), 'match')
  } catch (error) {
    // The same rules as the body; the parameter is the last part of the field name.
    if (error instanceof ApiError && error.field) bad(error.field.replace(/^match\./, '').replace(/\[\d+\]$/, ''), error.message.replace(/^match\.[\w[\]]+: /, ''))
    throw error
  }
  const exactly = number('count')
  const min = number('min')
  const max = number('max')
  let count: CountRule = AT_LEAST_ONE
  if (exactly !== undefined) {
    if (min !== undefined || max !== undefined) bad('count', 'give count alone, or min and/or max')
    count = { min: exactly, max: exactly }
  } else if (min !== undefined || max !== undefined) {
    if (min !== undefined && max !== undefined && min > max) bad('min', `is larger than max (${max})`)
    count = { min: min ?? 0, max: max ?? null }
  }
  return { matcher, count, timeoutMs: number('timeoutMs', MAX_TIMEOUT_MS) ?? 0, limit: limitOf(number('limit', MAX_LIMIT)) }
}

/** `30s`, `2m`, `1500ms`, `1h` or a number of milliseconds. */
export function parseDuration(raw: unknown, field: string): number | undefined {
  if (raw === undefined) return undefined
  if (typeof raw === 'number') return wholeNumber(raw, field, MAX_TIMEOUT_MS)
  const ms = typeof raw === 'string' ? durationMs(raw) : null
  if (ms === null) invalid(field, `must be a duration such as "30s", "2m", "500ms" or a number of milliseconds; got ${JSON.stringify(raw)}`)
  if (ms > MAX_TIMEOUT_MS) invalid(field, `is longer than the most a request may wait (${MAX_TIMEOUT_MS / 1000}s)`)
  return ms
}
