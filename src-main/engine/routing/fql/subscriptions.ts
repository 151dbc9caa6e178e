// Checks an Action destination's subscription FQL. The Actions runtime matches events with
// @segment/destination-subscriptions, whose parser understands only a subset of FQL and reads the rest
// wrongly without complaint (a trailing `and` is dropped, `==` becomes `= "="`, infix `match` is kept
// but never matches, 'single quotes' stay part of the value, `a and b or c` becomes "any of a, b, c").
// So a subscription must (1) be valid FQL, (2) stay inside that subset, and (3) parse in that package
// to exactly the conditions we expect; otherwise the user gets a message, not a silent non-match.
// One difference remains, as in Segment: the runtime's negated functions (!contains, !match) and
// `!= <number>` need the field to be present, where FQL would call a missing field a match.

import { createRequire } from 'node:module'
import { isDeepStrictEqual } from 'node:util'
import type { FqlExpression } from './ast'
import { FqlSyntaxError } from './errors'
import { parseFql } from './parser'

type Condition = { type: string; operator: string; name?: string; value?: string | number | boolean; children?: Condition[] }
type SubscriptionsModule = { parseFql(text: string): Condition | { error: Error } }

let subscriptions: SubscriptionsModule | undefined
function loadSubscriptions(): SubscriptionsModule {
  // Its ESM build is not loadable by Node, so it is required as CommonJS.
  subscriptions ??= createRequire(import.meta.url)('@segment/destination-subscriptions') as SubscriptionsModule
  return subscriptions
}

class Unsupported extends Error {
  constructor(problem: string, position: number) {
    super(`${problem} at ${position}`)
  }
}

/** null when `text` works as an Action subscription, else why not. */
export function validateSubscriptionFql(text: string): string | null {
  let expected: Condition
  try {
    const translated = translate(parseFql(text), 0)
    expected = translated.type === 'group' ? translated : { type: 'group', operator: 'and', children: [translated] }
  } catch (error) {
    if (error instanceof FqlSyntaxError || error instanceof Unsupported) return error.message
    throw error
  }
  const actual = loadSubscriptions().parseFql(text)
  if ('error' in actual) return `Action subscriptions cannot parse this (their parser needs spaces around operators): ${actual.error.message}`
  if (!isDeepStrictEqual(JSON.parse(JSON.stringify(actual)), expected)) {
    return 'Action subscriptions would read this differently than written; put spaces around operators and keep to simple conditions'
  }
  return null
}

const ROOTS: Record<string, string> = {
  type: 'event-type',
  event: 'event',
  name: 'name',
  userId: 'userId',
  properties: 'event-property',
  traits: 'event-trait',
  context: 'event-context'
}
const NESTED = new Set(['event-property', 'event-trait', 'event-context'])

/** What @segment/destination-subscriptions should produce for `expr`, or Unsupported. */
function translate(expr: FqlExpression, parens: number): Condition {
  const depth = parens + (expr.parens ?? 0)
  if (depth > 1) throw new Unsupported('Action subscriptions allow only one level of parentheses', expr.position)
  switch (expr.kind) {
    case 'logical': {
      const children: Condition[] = []
      const collect = (node: FqlExpression) => {
        if (node.kind === 'logical' && !node.parens) {
          if (node.operator !== expr.operator) throw new Unsupported('Action subscriptions cannot mix "and" and "or" without parentheses', node.position)
          collect(node.left)
          collect(node.right)
        } else children.push(translate(node, depth))
      }
      collect(expr.left)
      collect(expr.right)
      return { type: 'group', operator: expr.operator, children }
    }
    case 'compare':
      return comparison(expr)
    case 'call':
      return fn(expr, false, depth)
    case 'not':
      if (expr.operand.kind === 'call' && !expr.operand.parens) return fn(expr.operand, true, depth)
      throw new Unsupported('Action subscriptions allow "!" only right before contains() or match()', expr.position)
    case 'all':
      throw new Unsupported('"all" is not available in Action subscriptions; name the types, e.g. type = "track" or type = "identify"', expr.position)
    case 'in':
      throw new Unsupported('"in" is not available in Action subscriptions; join comparisons with "or"', expr.position)
    default:
      throw new Unsupported('Action subscriptions need a comparison such as event = "Order Completed"', expr.position)
  }
}

function comparison(expr: Extract<FqlExpression, { kind: 'compare' }>): Condition {
  const { left, right, operator } = expr
  if (left.kind !== 'path') throw new Unsupported('Action subscriptions need the field on the left of a comparison', left.position)
  if (right.kind !== 'literal') throw new Unsupported('Action subscriptions compare a field with a literal value only', right.position)
  const type = field(left)
  const value = right.value
  const equality = operator === '=' || operator === '!='
  if (typeof value === 'string') {
    if (right.quote !== '"') throw new Unsupported('Action subscriptions need "double-quoted" strings', right.position)
    if (!equality) throw new Unsupported(`"${operator}" compares numbers only`, right.position)
    return withName(type, left, { operator, value })
  }
  if (value === null && equality && type !== 'event-type' && type !== 'event') {
    return withName(type, left, { operator: operator === '=' ? 'not_exists' : 'exists' })
  }
  if (typeof value === 'boolean' && operator === '=' && type !== 'event-type' && type !== 'event' && type !== 'name') {
    return withName(type, left, { operator: value ? 'is_true' : 'is_false' })
  }
  if (typeof value === 'number' && NESTED.has(type)) {
    const op = operator === '=' ? 'number_equals' : operator === '!=' ? 'number_not_equals' : operator
    return withName(type, left, { operator: op, value })
  }
  throw new Unsupported(`Action subscriptions cannot compare ${left.segments.join('.')} ${operator} ${String(value)}`, right.position)
}

function fn(expr: Extract<FqlExpression, { kind: 'call' }>, negate: boolean, depth: number): Condition {
  if (expr.name !== 'contains' && expr.name !== 'match') {
    throw new Unsupported(`${expr.name}() is not available in Action subscriptions (only contains() and match() are)`, expr.position)
  }
  // The package reads a parenthesised group up to the first ")", which a call's own ")" would end.
  if (depth > 0) throw new Unsupported(`Action subscriptions cannot use ${expr.name}() inside parentheses`, expr.position)
  const [target, argument] = expr.args
  if (target?.kind !== 'path') throw new Unsupported(`${expr.name}() in Action subscriptions needs a field as its first argument`, expr.position)
  if (argument?.kind !== 'literal' || typeof argument.value !== 'string' || argument.quote !== '"') {
    throw new Unsupported(`${expr.name}() in Action subscriptions needs a "double-quoted" string as its second argument`, argument?.position ?? expr.position)
  }
  const type = field(target)
  if (type === 'event-type') throw new Unsupported(`Action subscriptions cannot use ${expr.name}() on type`, target.position)
  if (expr.name === 'contains') return withName(type, target, { operator: negate ? 'not_contains' : 'contains', value: argument.value })
  const pattern = argument.value
  const prefix = pattern.endsWith('*') ? pattern.slice(0, -1) : null
  const suffix = prefix === null && pattern.startsWith('*') ? pattern.slice(1) : null
  const fixed = prefix ?? suffix
  if (fixed === null || /[*?[\\]/.test(fixed)) {
    throw new Unsupported('Action subscriptions support match() only with a prefix ("Order*") or suffix ("*Viewed") pattern', argument.position)
  }
  const operator = prefix !== null ? 'starts_with' : 'ends_with'
  return withName(type, target, { operator: negate ? `not_${operator}` : operator, value: fixed })
}

function field(path: Extract<FqlExpression, { kind: 'path' }>): string {
  const [root, ...rest] = path.segments
  const type = ROOTS[root!]
  if (!type) throw new Unsupported(`Action subscriptions can test type, event, name, userId, properties.*, traits.* and context.*, not "${root}"`, path.position)
  if (NESTED.has(type) ? rest.length === 0 : rest.length > 0) {
    throw new Unsupported(NESTED.has(type) ? `name a field inside ${root}, e.g. ${root}.plan` : `${root} has no fields inside it`, path.position)
  }
  if (rest.some((segment) => /[.[\]]/.test(segment) || segment === '')) {
    throw new Unsupported('Action subscriptions cannot reach field names containing ".", "[" or "]"', path.position)
  }
  return type
}

function withName(type: string, path: Extract<FqlExpression, { kind: 'path' }>, rest: Omit<Condition, 'type'>): Condition {
  return NESTED.has(type) ? { type, name: path.segments.slice(1).join('.'), ...rest } : { type, ...rest }
}
