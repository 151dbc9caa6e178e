import { describe, expect, it } from 'vitest'
import { evaluateFql, parseFql } from './index'

// Segment's own example object and results (https://segment.com/docs/api/public-api/fql/#examples).
const docsEvent = {
  event: 'Button Clicked',
  type: 'track',
  context: { library: { name: 'analytics.js', version: '1.0' } },
  properties: { features: ['discounts', 'dark-mode'] }
}

const event = {
  type: 'track',
  event: 'Order Completed',
  userId: 'user-1',
  anonymousId: null,
  properties: {
    total: 49.5,
    count: 3,
    zero: 0,
    coupon: '',
    currency: 'EUR',
    paid: true,
    refunded: false,
    tags: ['sale', 'new'],
    'product 1': { price: '19.99' },
    'a.b': 'dotted key',
    items: [{ sku: 'A1' }, { sku: 'B2' }],
    nested: { deep: { value: 'x' } },
    japanese: 'ア',
    title: 'order completed today',
    numeric: '42'
  },
  context: { traits: { email: 'a@example.com' }, page: { path: '/docs/a/b' } },
  traits: { plan: 'pro' }
}

const run = (fql: string, data: unknown = event) => evaluateFql(parseFql(fql), data)

describe('evaluateFql: Segment documentation examples', () => {
  it.each([
    [`event = 'Button Clicked'`, true],
    [`event = 'Screen Tapped'`, false],
    [`context.path.path = '/login'`, false],
    [`type = 'identify' or type = 'track'`, true],
    [`event = 'Button Clicked' and type = 'track'`, true],
    [`match( context.library.version, '1.*' )`, true],
    [`match( context.library.version, '2.*' )`, false],
    [`type = 'track' and ( event = 'Click' or match( event, 'Button *' ) )`, true],
    [`!contains( context.library.name, 'js' )`, false],
    [`'dark-mode' in properties.features`, true],
    [`'blink' in properties.features`, false],
    [`!( type in ['track', 'identify'] )`, false]
  ])('%s → %s', (fql, expected) => {
    expect(run(fql, docsEvent)).toBe(expected)
  })
})

describe('evaluateFql: operators', () => {
  it.each([
    // = and != : same type and strictly equal
    ['type = "track"', true],
    ['type = "identify"', false],
    ['type != "identify"', true],
    ['type != "track"', false],
    ['properties.count = 3', true],
    ['properties.count = "3"', false], // different types are never equal
    ['properties.count != "3"', true],
    ['properties.numeric = 42', false],
    ['properties.paid = true', true],
    ['properties.refunded = false', true],
    ['properties.refunded = null', false],
    ['properties.tags = ["sale", "new"]', true], // lists compare element by element
    ['properties.tags = ["new", "sale"]', false],
    // missing fields compare like null
    ['properties.missing = null', true],
    ['properties.missing != null', false],
    ['anonymousId = null', true],
    ['userId != null', true],
    ['properties.missing = ""', false],
    ['properties.missing.deeper = null', true],
    // numeric comparisons only between numbers
    ['properties.total > 49', true],
    ['properties.total > 49.5', false],
    ['properties.total >= 49.5', true],
    ['properties.count < 3', false],
    ['properties.count <= 3', true],
    ['properties.count > -1', true],
    ['properties.numeric > 1', false], // a numeric string is still a string
    ['properties.missing < 1', false],
    ['properties.missing >= 0', false],
    // in
    ['event in ["Order Completed", "Order Refunded"]', true],
    ['event in ["Order Refunded"]', false],
    ['properties.count in [1, 2, 3]', true],
    ['properties.count in ["3"]', false],
    ['properties.missing in [null]', true],
    ['properties.missing in ["a"]', false],
    ['"sale" in properties.tags', true],
    ['"old" in properties.tags', false],
    ['"sale" in properties.currency', false], // the right side must be a list
    ['properties.tags in properties.tags', false], // only a single value is looked for in a list
    ['event in []', false],
    // and / or / !
    ['type = "track" and userId = "user-1"', true],
    ['type = "track" and userId = "other"', false],
    ['type = "identify" or userId = "user-1"', true],
    ['type = "identify" or userId = "other"', false],
    ['type = "identify" or type = "track" and userId = "other"', false], // and binds tighter than or
    ['(type = "identify" or type = "track") and userId = "user-1"', true],
    ['!type = "identify"', true],
    ['!(type = "track")', false],
    ['!!(type = "track")', true],
    ['properties.paid', true], // a bare true field
    ['properties.refunded', false],
    ['!properties.refunded', true],
    ['!properties.missing', true],
    ['properties.currency', false], // only true is true
    ['properties.paid and properties.count = 3', true],
    ['properties.missing or properties.paid', true],
    // all
    ['all', true],
    ['all and type = "identify"', false],
    // paths: escapes, nesting, list indexes
    ['properties.product\\ 1.price = "19.99"', true],
    ['properties.a\\.b = "dotted key"', true],
    ['properties.nested.deep.value = "x"', true],
    ['properties.items.1.sku = "B2"', true],
    ['properties.items.2.sku = null', true],
    ['traits.plan = "pro"', true],
    ['context.traits.email = "a@example.com"', true],
    ['properties.constructor = null', true], // own properties only
    ['properties.__proto__ = null', true],
    ['properties.tags.length = null', true]
  ])('%s → %s', (fql, expected) => {
    expect(run(fql)).toBe(expected)
  })
})

describe('evaluateFql: functions', () => {
  it.each([
    ['contains(event, "Order")', true],
    ['contains(event, "order")', false], // case-sensitive
    ['contains(properties.missing, "x")', false],
    ['contains(properties.count, "3")', false],
    ['!contains(event, "Refund")', true],
    // length: bytes of a string, items of a list, 0 for null
    ['length(userId) = 6', true],
    ['length(properties.japanese) = 3', true],
    ['length(properties.tags) = 2', true],
    ['length(properties.missing) = 0', true],
    ['length(properties.coupon) < 1', true],
    ['length(properties.count) = null', true],
    ['length("héllo") = 6', true],
    // case functions
    ['lowercase(event) = "order completed"', true],
    ['uppercase(event) = "ORDER COMPLETED"', true],
    ['lowercase(properties.missing) = null', true],
    ['lowercase(properties.count) = null', true],
    ['snakecase(event) = "Order_Completed"', true],
    ['snakecase("test string") = "test_string"', true],
    ['kebabcase("test string") = "test-string"', true],
    ['titlecase("test string") = "Test String"', true],
    ['titlecase(properties.title) = "Order Completed Today"', true],
    ['lowercase(snakecase(event)) = "order_completed"', true],
    // typeof: Segment's names
    ['typeof(event) = "string"', true],
    ['typeof(properties.count) = "number"', true],
    ['typeof(properties.paid) = "bool"', true],
    ['typeof(properties.tags) = "list"', true],
    ['typeof(properties.missing) = "null"', true],
    ['typeof(anonymousId) = "null"', true],
    ['typeof(properties.nested) = "object"', true],
    // match: full-string glob
    ['match(event, "Order*")', true],
    ['match(event, "*Completed")', true],
    ['match(event, "Order")', false],
    ['match(event, "order*")', false],
    ['match(event, "Order?Completed")', true],
    ['match(event, "Order [A-Z]ompleted")', true],
    ['match(event, "Order [a-z]ompleted")', false],
    ['match(event, "Order [^a-z]ompleted")', true],
    ['match(event, "[OP]rder*")', true],
    ['match(context.page.path, "/docs/*")', true], // * crosses "/"
    ['match(properties.missing, "*")', false],
    ['match(properties.coupon, "*")', true],
    // bool / string / number
    ['bool(properties.tags)', true],
    ['bool(properties.coupon)', false],
    ['bool(properties.zero)', false],
    ['bool(properties.count)', true],
    ['bool(properties.missing)', false],
    ['string(properties.count) = "3"', true],
    ['string(properties.paid) = "true"', true],
    ['number(properties.numeric) = 42', true],
    ['number(properties.currency) = null', true],
    ['number(properties.numeric) > 40', true]
  ])('%s → %s', (fql, expected) => {
    expect(run(fql)).toBe(expected)
  })
})

describe('glob patterns (Segment reference table)', () => {
  it.each([
    ['abcd', 'a*d', true],
    ['', '*', true],
    ['abc', 'ab', false],
    ['abcd', 'a??d', true],
    ['abcd', '*d', true],
    ['ab*d', 'ab\\*d', true],
    ['abxd', 'ab\\*d', false],
    ['abCd', 'ab[cC]d', true],
    ['abcd', 'ab[a-z]d', true],
    ['abcd', 'ab[A-Z]d', false],
    ['a]b', 'a]b', true],
    ['ア', '?', true], // one character, not one byte
    ['aaaaaaaaaaaaaaaaaaaaaaaaaaaaab', '*a*a*a*a*a*a*a*c', false]
  ])('match(%j, %j) → %s', (text, pattern, expected) => {
    expect(evaluateFql(parseFql(`match(${JSON.stringify(text)}, '${pattern}')`), {})).toBe(expected)
  })
})

describe('evaluateFql on hostile events', () => {
  it('does not reach the prototype or throw on odd shapes', () => {
    const hostile = JSON.parse('{"properties":{"__proto__":{"polluted":true}},"context":"not an object"}') as unknown
    expect(run('properties.__proto__.polluted = true', hostile)).toBe(true) // an own key, read as data
    expect(run('context.page.path = null', hostile)).toBe(true)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    for (const data of [null, 42, 'text', [], {}]) expect(run('type = "track"', data)).toBe(false)
  })

  it('compares very deep values without overflowing the stack', () => {
    const build = () => {
      let deep: unknown = 'leaf'
      for (let i = 0; i < 10_000; i++) deep = [deep]
      return deep
    }
    const deep = build()
    expect(run('properties.a = properties.b', { properties: { a: deep, b: deep } })).toBe(true) // the same value
    // Distinct values nested past 64 levels are not worth walking: they count as different.
    expect(run('properties.a = properties.b', { properties: { a: build(), b: build() } })).toBe(false)
    expect(() => run('string(properties.a) = ""', { properties: { a: deep } })).not.toThrow()
  })
})
