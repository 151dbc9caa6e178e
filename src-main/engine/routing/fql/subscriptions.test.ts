import { createRequire } from 'node:module'
import { describe, expect, it } from 'vitest'
import { evaluateFql, parseFql, validateSubscriptionFql } from './index'

// The runtime's own matcher, to show that what we accept it evaluates the way FQL means.
const subscriptions = createRequire(import.meta.url)('@segment/destination-subscriptions') as {
  parseFql(text: string): unknown
  validate(ast: unknown, event: unknown): boolean
}

describe('validateSubscriptionFql accepts what the Actions runtime evaluates as written', () => {
  const events = [
    { type: 'track', event: 'Order Completed', userId: 'u1', properties: { total: 10, plan: 'pro', paid: true, product: { sku: 'A' } }, traits: {}, context: { page: { path: '/a' } } },
    { type: 'track', event: 'Product Viewed', properties: { total: 3, paid: false } },
    { type: 'identify', userId: 'u2', traits: { email: 'a@example.com', vip: true } },
    { type: 'page', name: 'Home', properties: {} },
    { type: 'group' }
  ]

  it.each([
    'type = "track"',
    'type = "track" and event = "Order Completed"',
    'type = "track" or type = "identify"',
    'type = "identify" or (type = "track" and properties.total > 5)',
    '(type = "track" and properties.paid = true) or (type = "identify" and traits.vip = true)',
    'event != "Order Completed"',
    'userId != null',
    'userId = null',
    'name = "Home"',
    'properties.total >= 10',
    'properties.total < 5',
    'properties.total = 10',
    'properties.plan = "pro"',
    'properties.product.sku = "A"',
    'properties.paid = false',
    'traits.email != null',
    'context.page.path = "/a"',
    'contains(event, "Order")',
    // The runtime's not_contains / not_starts_with need the field to be a string, where FQL's
    // !contains(null, …) is true: events without an `event` (2, 3, 4) differ, in Segment too.
    ['!contains(event, "Order")', [2, 3, 4]],
    'match(event, "Order*")',
    'match(event, "*Viewed")',
    ['!match(event, "Order*")', [2, 3, 4]],
    'contains(traits.email, "@example.com")'
  ] as (string | [string, number[]])[])('%s', (row) => {
    const [text, differs] = typeof row === 'string' ? [row, []] : row
    expect(validateSubscriptionFql(text)).toBeNull()
    const ast = subscriptions.parseFql(text)
    events.forEach((event, i) => {
      const fql = evaluateFql(parseFql(text), event)
      expect(subscriptions.validate(ast, event), JSON.stringify(event)).toBe(differs.includes(i) ? !fql : fql)
    })
  })
})

describe('validateSubscriptionFql refuses what the runtime would misread', () => {
  it.each([
    // not FQL at all (the runtime's parser would accept these silently)
    ['type = "track" and', 'unexpected end of expression after "and" at 18'],
    ['type == "track"', '"==" is not an FQL operator; use "=" at 5'],
    ['event match "Order*"', '"match" is a function, not an operator; write match(field, "pattern*") at 6'],
    // FQL, but outside what the runtime understands
    ["type = 'track'", 'Action subscriptions need "double-quoted" strings at 7'],
    ['all', '"all" is not available in Action subscriptions; name the types, e.g. type = "track" or type = "identify" at 0'],
    ['event in ["A", "B"]', '"in" is not available in Action subscriptions; join comparisons with "or" at 0'],
    ['type = "a" and event = "b" or event = "c"', 'Action subscriptions cannot mix "and" and "or" without parentheses at 0'],
    ['((type = "track"))', 'Action subscriptions allow only one level of parentheses at 2'],
    ['type = "track" and (contains(event, "x") or event = "y")', 'Action subscriptions cannot use contains() inside parentheses at 20'],
    ['!(type = "track")', 'Action subscriptions allow "!" only right before contains() or match() at 0'],
    ['match(event, "Order?")', 'Action subscriptions support match() only with a prefix ("Order*") or suffix ("*Viewed") pattern at 13'],
    ['match(event, "*Order*")', 'Action subscriptions support match() only with a prefix ("Order*") or suffix ("*Viewed") pattern at 13'],
    ['match(event, "Order")', 'Action subscriptions support match() only with a prefix ("Order*") or suffix ("*Viewed") pattern at 13'],
    ['length(userId) > 0', 'Action subscriptions need the field on the left of a comparison at 0'],
    ['lowercase(event) = "x"', 'Action subscriptions need the field on the left of a comparison at 0'],
    ['typeof(userId) = "string"', 'Action subscriptions need the field on the left of a comparison at 0'],
    ['uppercase(event)', 'uppercase() is not available in Action subscriptions (only contains() and match() are) at 0'],
    ['"track" = type', 'Action subscriptions need the field on the left of a comparison at 0'],
    ['properties.a = properties.b', 'Action subscriptions compare a field with a literal value only at 15'],
    ['anonymousId = "x"', 'Action subscriptions can test type, event, name, userId, properties.*, traits.* and context.*, not "anonymousId" at 0'],
    ['properties = null', 'name a field inside properties, e.g. properties.plan at 0'],
    ['event.x = "a"', 'event has no fields inside it at 0'],
    ['type = null', 'Action subscriptions cannot compare type = null at 7'],
    ['event = 5', 'Action subscriptions cannot compare event = 5 at 8'],
    ['userId = 5', 'Action subscriptions cannot compare userId = 5 at 9'],
    ['properties.paid != true', 'Action subscriptions cannot compare properties.paid != true at 19'],
    ['properties.a\\.b = "x"', 'Action subscriptions cannot reach field names containing ".", "[" or "]" at 0'],
    ['contains(type, "tr")', 'Action subscriptions cannot use contains() on type at 9'],
    ['properties.paid', 'Action subscriptions need a comparison such as event = "Order Completed" at 0'],
    // valid in both, but the runtime's lexer needs spaces around "<"
    ['properties.total<5', "Action subscriptions cannot parse this (their parser needs spaces around operators): Cannot read properties of undefined (reading 'type')"]
  ])('%s → %s', (text, message) => {
    expect(validateSubscriptionFql(text)).toBe(message)
  })

  it('catches the runtime quirks the brief names: each of these parses there without an error', () => {
    for (const text of ['type = "track" and', 'type == "track"', 'event match "Order*"']) {
      expect(subscriptions.parseFql(text)).not.toHaveProperty('error')
      expect(validateSubscriptionFql(text)).not.toBeNull()
    }
  })
})
