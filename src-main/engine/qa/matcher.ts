// Event matchers of QA mode (src-shared/qa.ts): compiled once per request, then applied to candidate
// events that the store has already narrowed down, and to events arriving on the live bus. Every failed part
// becomes a line (`properties.total: expected 10, got 12`) so a near miss explains itself.

import { isDeepStrictEqual } from 'node:util'
import type { SegmentType } from '../../../src-shared/segment'
import type { CandidateRow } from '../store/runs'
import { readField } from './path'

/** A stored or just-committed event with its payload parsed. */
export interface Candidate extends Omit<CandidateRow, 'payload'> {
  payload: unknown
}

export interface CompiledCondition {
  path: string
  segments: string[]
  equals?: { value: unknown }
  exists?: boolean
  matches?: RegExp
}

export interface CompiledMatcher {
  types: SegmentType[] | null
  event?: string
  userId?: string
  anonymousId?: string
  sourceId?: number
  runId?: string
  /** Epoch ms, [since, until). */
  since?: number
  until?: number
  where: CompiledCondition[]
}

/** How many matches are wanted; `exactly` is min = max. */
export interface CountRule {
  min: number
  max: number | null
}

export const AT_LEAST_ONE: CountRule = { min: 1, max: null }

/**
 * Why the event does not match, one line per failed part; [] = it matches. `scope` adds the parts near misses
 * share by construction (source, time), which matter for events from the live bus.
 */
export function differences(m: CompiledMatcher, e: Candidate, scope = false): string[] {
  const out: string[] = []
  if (m.types && !m.types.includes(e.type)) {
    const wanted = m.types.length === 1 ? show(m.types[0]) : `one of ${m.types.map(show).join(', ')}`
    out.push(`type: expected ${wanted}, got ${show(e.type)}`)
  }
  if (m.event !== undefined && e.name !== m.event) out.push(`event: expected ${show(m.event)}, got ${show(e.name ?? undefined)}`)
  if (m.userId !== undefined && e.userId !== m.userId) out.push(`userId: expected ${show(m.userId)}, got ${show(e.userId ?? undefined)}`)
  if (m.anonymousId !== undefined && e.anonymousId !== m.anonymousId) out.push(`anonymousId: expected ${show(m.anonymousId)}, got ${show(e.anonymousId ?? undefined)}`)
  if (scope) {
    if (m.sourceId !== undefined && e.sourceId !== m.sourceId) out.push(`sourceId: expected ${m.sourceId}, got ${e.sourceId}`)
    if (m.since !== undefined && e.receivedAt < m.since) out.push(`receivedAt: expected at or after ${iso(m.since)}, got ${iso(e.receivedAt)}`)
    if (m.until !== undefined && e.receivedAt >= m.until) out.push(`receivedAt: expected before ${iso(m.until)}, got ${iso(e.receivedAt)}`)
  }
  for (const c of m.where) out.push(...conditionFailures(c, readField(e.payload, c.segments)))
  return out
}

/** The same verdict as `differences(…).length === 0`, stopping at the first failed part (the live bus path). */
export function matches(m: CompiledMatcher, e: Candidate, scope = false): boolean {
  if (m.types && !m.types.includes(e.type)) return false
  if (m.event !== undefined && e.name !== m.event) return false
  if (m.userId !== undefined && e.userId !== m.userId) return false
  if (m.anonymousId !== undefined && e.anonymousId !== m.anonymousId) return false
  if (scope) {
    if (m.sourceId !== undefined && e.sourceId !== m.sourceId) return false
    if (m.since !== undefined && e.receivedAt < m.since) return false
    if (m.until !== undefined && e.receivedAt >= m.until) return false
  }
  return m.where.every((c) => conditionFailures(c, readField(e.payload, c.segments)).length === 0)
}

/** `matches` looks at most this much of a value: bounded work per event whatever a client sends. */
const MATCH_PREFIX = 10_000

function conditionFailures(c: CompiledCondition, actual: unknown): string[] {
  const out: string[] = []
  if (c.exists === true && actual === undefined) out.push(`${c.path}: expected to be present, got nothing`)
  if (c.exists === false && actual !== undefined) out.push(`${c.path}: expected to be absent, got ${show(actual)}`)
  if (c.equals && !isDeepStrictEqual(actual, c.equals.value)) out.push(`${c.path}: expected ${show(c.equals.value)}, got ${show(actual)}`)
  if (c.matches && (typeof actual !== 'string' || !c.matches.test(actual.length > MATCH_PREFIX ? actual.slice(0, MATCH_PREFIX) : actual))) out.push(`${c.path}: expected a string matching ${c.matches}, got ${show(actual)}`)
  return out
}

export function countHolds(rule: CountRule, n: number): boolean {
  return n >= rule.min && (rule.max === null || n <= rule.max)
}

/** The expectation in words: `exactly 1 track "Order Completed" where properties.total = 10`. */
export function describe(m: CompiledMatcher, rule: CountRule): string {
  const noun = m.types ? m.types.join(' or ') : 'event'
  const parts = [countWords(rule), m.event !== undefined ? `${noun} ${show(m.event)}` : noun]
  if (m.userId !== undefined) parts.push(`with userId ${show(m.userId)}`)
  if (m.anonymousId !== undefined) parts.push(`with anonymousId ${show(m.anonymousId)}`)
  if (m.sourceId !== undefined) parts.push(`in source ${m.sourceId}`)
  if (m.runId !== undefined) parts.push(`in run ${show(m.runId)}`)
  if (m.since !== undefined) parts.push(`received since ${iso(m.since)}`)
  if (m.until !== undefined) parts.push(`received before ${iso(m.until)}`)
  const conditions = m.where.flatMap((c) => {
    const said: string[] = []
    if (c.exists === true) said.push(`${c.path} is present`)
    if (c.exists === false) said.push(`${c.path} is absent`)
    if (c.equals) said.push(`${c.path} = ${show(c.equals.value)}`)
    if (c.matches) said.push(`${c.path} matches ${c.matches}`)
    return said
  })
  if (conditions.length > 0) parts.push(`where ${conditions.join(' and ')}`)
  return parts.join(' ')
}

function countWords(rule: CountRule): string {
  if (rule.max === rule.min) return rule.min === 0 ? 'no' : `exactly ${rule.min}`
  if (rule.max === null) return `at least ${rule.min}`
  if (rule.min === 0) return `at most ${rule.max}`
  return `between ${rule.min} and ${rule.max}`
}

/** A value as JSON, cut short: payload values are attacker-made and may be huge. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  const text = JSON.stringify(value) ?? String(value)
  return text.length > 120 ? `${text.slice(0, 117)}...` : text
}

function iso(ms: number): string {
  return new Date(ms).toISOString()
}
