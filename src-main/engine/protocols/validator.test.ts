import { describe, expect, it } from 'vitest'
import type { PlanRule } from '../../../src-shared/plans'
import { capViolations, compilePlan, MAX_VIOLATIONS, PlanValidators } from './validator'

const draft = 'http://json-schema.org/draft-07/schema#'
const track = (key: string, properties: Record<string, unknown>, required: string[] = [], version?: number, extra: Record<string, unknown> = {}): PlanRule => ({
  type: 'TRACK',
  key,
  ...(version ? { version } : {}),
  jsonSchema: { $schema: draft, type: 'object', properties: { properties: { type: 'object', properties, required, ...extra } }, required: ['properties'] }
})

const orderCompleted = track(
  'Order Completed',
  {
    order_id: { type: 'string', pattern: '^ord_' },
    total: { type: 'number' },
    currency: { enum: ['EUR', 'USD'] },
    email: { type: 'string', format: 'email' },
    channel: { const: 'web' },
    shipping: { type: 'object', properties: { city: { type: 'string' } } }
  },
  ['order_id', 'total']
)
const plan = compilePlan([
  { type: 'COMMON', jsonSchema: { $schema: draft, type: 'object', properties: { context: { type: 'object', properties: { app: { type: 'object' } } }, properties: { type: 'object', properties: { locale: { type: 'string' } } } } } },
  orderCompleted,
  { type: 'IDENTIFY', jsonSchema: { type: 'object', properties: { traits: { type: 'object', properties: { email: { type: 'string' }, age: { type: 'integer' } }, required: ['email'] } } } },
  { type: 'PAGE', jsonSchema: { type: 'object', properties: { properties: { type: 'object', additionalProperties: true, properties: { path: { type: 'string' } } } } } }
])
const good = { type: 'track', event: 'Order Completed', properties: { order_id: 'ord_1', total: 12.5, currency: 'EUR', email: 'a@b.co', channel: 'web', shipping: { city: 'Lyon' }, locale: 'fr' } }
const check = (message: Record<string, unknown>) => plan.validate(message)

describe('compilePlan', () => {
  it('accepts a message that follows its rule (common properties count as planned)', () => {
    expect(check(good)).toEqual([])
    expect(check({ type: 'page', name: 'Home', properties: { path: '/', anything: 1 } })).toEqual([])
    expect(check({ type: 'alias', userId: 'u', previousId: 'a' })).toEqual([])
  })

  it('reports an unplanned event by its name, case-sensitively', () => {
    expect(check({ type: 'track', event: 'order completed', properties: {} })).toEqual([
      { kind: 'unplanned_event', pointer: '/event', expected: null, actual: '"order completed"', message: 'Track event "order completed" is not in the tracking plan.' }
    ])
  })

  it('reports each unplanned property, nested ones included, unless the schema allows them', () => {
    const v = check({ ...good, properties: { ...good.properties, coupon: 'X', extra: [1], shipping: { city: 'Lyon', zip: '69001' } } })
    expect(v.map((x) => [x.kind, x.pointer, x.actual])).toEqual([
      ['unplanned_property', '/properties/coupon', '"X"'],
      ['unplanned_property', '/properties/extra', '[1]'],
      ['unplanned_property', '/properties/shipping/zip', '"69001"']
    ])
    expect(check({ type: 'identify', userId: 'u', traits: { email: 'x', plan: 'pro' } }).map((x) => [x.kind, x.pointer])).toEqual([['unplanned_property', '/traits/plan']])
  })

  it('reports missing required, wrong type and values not allowed with the field pointer', () => {
    const { order_id: _, ...rest } = good.properties
    expect(check({ ...good, properties: { ...rest, total: '12' } })).toEqual([
      { kind: 'missing_required', pointer: '/properties/order_id', expected: 'required', actual: null, message: '/properties/order_id is required.' },
      { kind: 'wrong_type', pointer: '/properties/total', expected: 'number', actual: '"12"', message: '/properties/total must be number, got string.' }
    ])
    const v = check({ ...good, properties: { ...good.properties, order_id: 'x1', currency: 'GBP', email: 'nope', channel: 'ios' } })
    expect(v.map((x) => [x.kind, x.pointer, x.expected, x.actual])).toEqual([
      ['not_allowed', '/properties/order_id', 'matching ^ord_', '"x1"'],
      ['not_allowed', '/properties/currency', 'one of "EUR", "USD"', '"GBP"'],
      ['not_allowed', '/properties/email', 'format email', '"nope"'],
      ['not_allowed', '/properties/channel', 'equal to "web"', '"ios"']
    ])
    expect(check({ type: 'identify', userId: 'u', traits: { age: 3.5 } }).map((x) => [x.kind, x.pointer, x.expected])).toEqual([
      ['missing_required', '/traits/email', 'required'],
      ['wrong_type', '/traits/age', 'integer']
    ])
  })

  it('applies the common rule to every message', () => {
    expect(check({ type: 'alias', userId: 'u', context: { app: 'x' } }).map((x) => [x.kind, x.pointer, x.expected])).toEqual([['wrong_type', '/context/app', 'object']])
    expect(check({ ...good, properties: { ...good.properties, locale: 5 } }).map((x) => [x.kind, x.pointer])).toEqual([['wrong_type', '/properties/locale']])
    expect(check({ type: 'track', event: 'Nope', context: { app: 1 } }).map((x) => x.kind)).toEqual(['unplanned_event', 'wrong_type'])
  })

  it('picks the rule by context.protocols.event_version, else the oldest', () => {
    const versioned = compilePlan([track('Signed Up', { plan: { type: 'string' } }, ['plan'], 2), track('Signed Up', { method: { type: 'string' } }, ['method'], 1)])
    const props = { method: 'google' }
    expect(versioned.validate({ type: 'track', event: 'Signed Up', properties: props })).toEqual([])
    expect(versioned.validate({ type: 'track', event: 'Signed Up', properties: props, context: { protocols: { event_version: 2 } } }).map((x) => [x.kind, x.pointer])).toEqual([
      ['missing_required', '/properties/plan'],
      ['unplanned_property', '/properties/method']
    ])
  })

  it('keeps its answer small and safe on hostile messages', () => {
    const many = Object.fromEntries(Array.from({ length: 500 }, (_, i) => [`p${i}`, 'x'.repeat(1000)]))
    const v = check({ ...good, properties: { ...good.properties, ...many, total: 'not a number' } })
    // All of them for enforcement to decide on; what is stored is capped, schema violations kept first.
    expect(v).toHaveLength(501)
    const kept = capViolations(v)
    expect(kept).toHaveLength(MAX_VIOLATIONS)
    expect(kept[0]).toMatchObject({ kind: 'wrong_type', pointer: '/properties/total' })
    expect(v[0]!.actual!.length).toBeLessThanOrEqual(200)
    expect(check({ type: 'track', event: { toString: 1 }, properties: 'x' } as never).map((x) => x.kind)).toEqual(['unplanned_event', 'wrong_type'])
    expect(check({ type: 'identify', traits: { 'a/b~c': 1, email: 'x' } }).map((x) => x.pointer)).toEqual(['/traits/a~1b~0c'])
  })

  it('compiles once per (plan, version)', () => {
    const cache = new PlanValidators(2)
    let compiles = 0
    const rules = () => (compiles++, [orderCompleted])
    const a = cache.get(1, 1, rules)
    expect(cache.get(1, 1, rules)).toBe(a)
    cache.get(1, 2, rules)
    cache.get(2, 1, rules) // evicts (1, 1), the least recently used
    expect(cache.get(1, 2, rules)).not.toBe(a)
    expect(compiles).toBe(3)
    cache.get(1, 1, rules)
    expect(compiles).toBe(4)
  })
})

describe('array items', () => {
  it('flags properties an item schema does not list, like nested objects', () => {
    const plan = compilePlan([track('Cart', { items: { type: 'array', items: { type: 'object', properties: { sku: { type: 'string' }, qty: { type: 'integer' } } } } })])
    const found = plan.validate({ type: 'track', event: 'Cart', properties: { items: [{ sku: 'a', qty: 1 }, { sku: 'b', qty: 2, color: 'red' }] } })
    expect(found.map((v) => [v.kind, v.pointer])).toEqual([['unplanned_property', '/properties/items/1/color']])
  })
})
