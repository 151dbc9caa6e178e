// FQL semantics, from Segment's reference (https://segment.com/docs/api/public-api/fql/):
//  - a missing field reads as null;
//  - `=` is true only for the same type and strictly equal value (lists element by element), `!=` is its
//    negation, so values of different types are never equal;
//  - `<`, `<=`, `>`, `>=` are true only between two numbers;
//  - `a in list` is true when the list holds a value equal to a;
//  - `and`/`or` treat anything but true as false, and so does `!` (`!properties.flag` holds when the flag
//    is missing);
//  - functions take null gracefully: contains(null, s) and match(null, p) are false, length(null) is 0,
//    lowercase(null) is null, typeof(null) is "null".
// Event data is attacker-controlled: fields are read as own properties only (no `__proto__` or
// `constructor` walks) and nested comparisons stop at a fixed depth instead of overflowing the stack.

import { Buffer } from 'node:buffer'
import type { FqlExpression } from './ast'
import { globMatch } from './glob'

type Value = unknown

const MAX_EQUAL_DEPTH = 64

/** True when `event` satisfies `expr`. Never throws for any JSON event. */
export function evaluateFql(expr: FqlExpression, event: unknown): boolean {
  return evaluate(expr, event) === true
}

function evaluate(expr: FqlExpression, event: unknown): Value {
  switch (expr.kind) {
    case 'all':
      return true
    case 'literal':
      return expr.value
    case 'path':
      return readPath(event, expr.segments)
    case 'list':
      return expr.items.map((item) => evaluate(item, event))
    case 'not':
      return evaluate(expr.operand, event) !== true
    case 'logical':
      if (expr.operator === 'and') return evaluate(expr.left, event) === true && evaluate(expr.right, event) === true
      return evaluate(expr.left, event) === true || evaluate(expr.right, event) === true
    case 'compare':
      return compare(expr.operator, evaluate(expr.left, event), evaluate(expr.right, event))
    case 'in': {
      const needle = evaluate(expr.left, event)
      const haystack = evaluate(expr.right, event)
      if (!Array.isArray(haystack) || (needle !== null && typeof needle === 'object')) return false
      return haystack.some((item) => equal(needle, item, 0))
    }
    case 'call':
      return call(expr.name, expr.args.map((arg) => evaluate(arg, event)))
  }
}

/** The value at `segments` inside `root`, or null. A numeric segment indexes a list. */
export function readPath(root: unknown, segments: readonly string[]): Value {
  let current: unknown = root
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^(0|[1-9]\d{0,8})$/.test(segment)) return null
      current = current[Number(segment)]
    } else if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = (current as Record<string, unknown>)[segment]
    } else return null
    if (current === undefined) return null
  }
  return current
}

function compare(operator: string, left: Value, right: Value): boolean {
  switch (operator) {
    case '=':
      return equal(left, right, 0)
    case '!=':
      return !equal(left, right, 0)
  }
  if (typeof left !== 'number' || typeof right !== 'number') return false
  switch (operator) {
    case '<':
      return left < right
    case '<=':
      return left <= right
    case '>':
      return left > right
    default:
      return left >= right
  }
}

function equal(a: Value, b: Value, depth: number): boolean {
  if (a === b) return true
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object' || depth > MAX_EQUAL_DEPTH) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  if (Array.isArray(a)) {
    const other = b as unknown[]
    return a.length === other.length && a.every((item, i) => equal(item, other[i], depth + 1))
  }
  const left = a as Record<string, unknown>
  const right = b as Record<string, unknown>
  const keys = Object.keys(left)
  if (keys.length !== Object.keys(right).length) return false
  return keys.every((key) => Object.prototype.hasOwnProperty.call(right, key) && equal(left[key], right[key], depth + 1))
}

function call(name: string, args: Value[]): Value {
  const [a, b] = args
  switch (name) {
    case 'contains':
      return typeof a === 'string' && typeof b === 'string' && a.includes(b)
    case 'match':
      return typeof a === 'string' && typeof b === 'string' && globMatch(a, b)
    case 'length':
      if (typeof a === 'string') return Buffer.byteLength(a, 'utf8')
      if (Array.isArray(a)) return a.length
      return a === null ? 0 : null
    case 'lowercase':
      return typeof a === 'string' ? a.toLowerCase() : null
    case 'uppercase':
      return typeof a === 'string' ? a.toUpperCase() : null
    // Segment documents snakecase/kebabcase as "spaces replaced by _ / -" and titlecase as
    // "test string" → "Test String"; nothing more is promised, so nothing more is done.
    case 'snakecase':
      return typeof a === 'string' ? a.replace(/ /g, '_') : null
    case 'kebabcase':
      return typeof a === 'string' ? a.replace(/ /g, '-') : null
    case 'titlecase':
      return typeof a === 'string' ? a.replace(/(^|\s)(\S)/gu, (_m, space: string, first: string) => space + first.toUpperCase()) : null
    case 'typeof':
      return typeOf(a)
    case 'bool':
      return toBool(a)
    case 'string':
      return toText(a)
    case 'number':
      return toNumber(a)
  }
  return null
}

/** Segment's names: "string", "number", "bool", "list", "null"; a JSON object (which Segment leaves
 * undocumented) is "object". */
function typeOf(value: Value): string {
  if (value === null || value === undefined) return 'null'
  if (Array.isArray(value)) return 'list'
  if (typeof value === 'boolean') return 'bool'
  if (typeof value === 'string' || typeof value === 'number') return typeof value
  return 'object'
}

function toBool(value: Value): boolean {
  if (typeof value === 'boolean') return value
  if (typeof value === 'number') return value !== 0
  if (typeof value === 'string') return value !== '' && value !== 'false' && value !== '0'
  if (Array.isArray(value)) return value.length > 0
  return value !== null && typeof value === 'object' && Object.keys(value).length > 0
}

function toText(value: Value): string {
  if (typeof value === 'string') return value
  if (value === null || value === undefined) return ''
  if (typeof value !== 'object') return String(value)
  try {
    return JSON.stringify(value)
  } catch {
    return '' // nested past the stack (attacker-built); an empty string matches nothing useful
  }
}

function toNumber(value: Value): number | null {
  if (typeof value === 'number') return value
  if (typeof value !== 'string' || value.trim() === '') return null
  const number = Number(value)
  return Number.isFinite(number) ? number : null
}
