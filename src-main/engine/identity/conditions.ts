// Audience conditions over a profile's values, shared by the store thread (membership) and previews.

import type { AudienceCondition, ConditionOperator } from '../../../src-shared/identity'

/** What a condition reads: a trait's value, a computed trait's value, or an event count (0 when absent). */
export interface ConditionInputs {
  trait(key: string): unknown
  computed(traitId: number): unknown
  /** The hidden count trait behind an event condition (index in the audience's conditions). */
  eventCount(conditionIndex: number): number
}

export function holds(op: ConditionOperator, actual: unknown, expected: unknown): boolean {
  const present = actual !== undefined && actual !== null
  switch (op) {
    case 'exists':
      return present
    case 'not_exists':
      return !present
    case '=':
      return present && (actual === expected || (typeof actual !== 'object' && String(actual) === String(expected)))
    case '!=':
      return !(present && (actual === expected || (typeof actual !== 'object' && String(actual) === String(expected))))
    case 'contains':
      if (typeof actual === 'string') return actual.toLowerCase().includes(String(expected).toLowerCase())
      return Array.isArray(actual) && actual.some((item) => item === expected || String(item) === String(expected))
    default: {
      if (!present) return false
      const a = typeof actual === 'number' ? actual : Number(actual)
      const b = typeof expected === 'number' ? expected : Number(expected)
      if (Number.isNaN(a) || Number.isNaN(b)) {
        const [x, y] = [String(actual), String(expected)]
        return op === '>' ? x > y : op === '>=' ? x >= y : op === '<' ? x < y : x <= y
      }
      return op === '>' ? a > b : op === '>=' ? a >= b : op === '<' ? a < b : a <= b
    }
  }
}

export function qualifies(match: 'all' | 'any', conditions: AudienceCondition[], inputs: ConditionInputs): boolean {
  if (conditions.length === 0) return false
  const test = (c: AudienceCondition, i: number): boolean => {
    if (c.kind === 'trait') return holds(c.op, traitAt(inputs, c.key), c.value)
    if (c.kind === 'computed') return holds(c.op, inputs.computed(c.traitId), c.value)
    // did: at least N times; did not: fewer than N times (default 1: never).
    const n = inputs.eventCount(i)
    return c.did ? n >= (c.atLeast ?? 1) : n < (c.atLeast ?? 1)
  }
  return match === 'all' ? conditions.every(test) : conditions.some(test)
}

/** A trait by name, or inside an object trait by a dotted path (`address.city`) when no trait has that name. */
function traitAt(inputs: ConditionInputs, key: string): unknown {
  const direct = inputs.trait(key)
  if (direct !== undefined || !key.includes('.')) return direct
  const [head, ...rest] = key.split('.')
  let value = inputs.trait(head!)
  for (const part of rest) {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined
    value = (value as Record<string, unknown>)[part]
  }
  return value
}
