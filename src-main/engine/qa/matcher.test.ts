import { describe as group, expect, it } from 'vitest'
import { ApiError } from '../errors'
import { describe, differences, matches, type Candidate } from './matcher'
import { editDistance } from './near-miss'
import { parseAssertBody, parseAssertQuery, parseCount, parseDuration, parseMatcher } from './parse-request'
import { parsePath, readField } from './path'

const event = (over: Partial<Candidate> = {}, payload: unknown = {}): Candidate => ({
  id: 1, sourceId: 1, type: 'track', name: 'Order Completed', userId: 'u1', anonymousId: null, receivedAt: Date.parse('2024-05-01T12:00:00Z'), payload, ...over
})

function fieldOf(fn: () => unknown): string | undefined {
  try {
    fn()
  } catch (error) {
    if (error instanceof ApiError) return error.field
    throw error
  }
  return undefined
}

group('paths', () => {
  it('parses dotted paths with indexes and tells absent from null', () => {
    expect(parsePath('properties.items[0].sku')).toEqual(['properties', 'items', '0', 'sku'])
    expect(parsePath('a..b')).toBeNull()
    expect(parsePath('[0]')).toBeNull()
    const payload = { properties: { coupon: null, items: [{ sku: 'x' }] } }
    expect(readField(payload, ['properties', 'coupon'])).toBeNull()
    expect(readField(payload, ['properties', 'missing'])).toBeUndefined()
    expect(readField(payload, ['properties', 'items', '0', 'sku'])).toBe('x')
    expect(readField(payload, ['properties', 'constructor'])).toBeUndefined()
  })
})

group('matching', () => {
  const payload = { properties: { total: 12, orderId: 'ord_1', items: [{ sku: 'a' }], coupon: null } }

  it('checks equals (deep), exists and matches, one line per failed part', () => {
    const m = parseMatcher({
      type: 'track', event: 'Order Completed',
      where: [
        { path: 'properties.total', equals: 10 },
        { path: 'properties.items', equals: [{ sku: 'a' }] },
        { path: 'properties.coupon', exists: true },
        { path: 'properties.discount', exists: false },
        { path: 'properties.orderId', matches: '^ord_' }
      ]
    }, 'match')
    expect(differences(m, event({}, payload))).toEqual(['properties.total: expected 10, got 12'])
    expect(differences(m, event({}, { ...payload, properties: { ...payload.properties, total: 10 } }))).toEqual([])
    expect(matches(m, event({}, { ...payload, properties: { ...payload.properties, total: 10 } }))).toBe(true)
    const other = parseMatcher({ event: 'Order Completed', where: [{ path: 'properties.orderId', matches: '^ord_' }, { path: 'properties.coupon', exists: false }] }, 'match')
    expect(differences(other, event({ name: 'Order Complete' }, { properties: { orderId: 7, coupon: 'X' } }))).toEqual([
      'event: expected "Order Completed", got "Order Complete"',
      'properties.orderId: expected a string matching /^ord_/, got 7',
      'properties.coupon: expected to be absent, got "X"'
    ])
  })

  it('says the expectation in words', () => {
    const m = parseMatcher({ type: 'track', event: 'Order Completed', userId: 'u1', where: [{ path: 'properties.total', equals: 10 }] }, 'match')
    expect(describe(m, parseCount(1, 'count'))).toBe('exactly 1 track "Order Completed" with userId "u1" where properties.total = 10')
    expect(describe(parseMatcher({}, 'match'), parseCount(undefined, 'count'))).toBe('at least 1 event')
    expect(describe(parseMatcher({ type: ['page', 'screen'] }, 'match'), parseCount({ max: 0 }, 'count'))).toBe('no page or screen')
    expect(describe(parseMatcher({}, 'match'), parseCount({ min: 2, max: 3 }, 'count'))).toBe('between 2 and 3 event')
  })

  it('ranks names by edit distance', () => {
    expect(editDistance('Order Completed', 'Order Complete')).toBe(1)
    expect(editDistance('abc', 'abc')).toBe(0)
  })
})

group('request parsing', () => {
  it('names the field of every refusal', () => {
    expect(fieldOf(() => parseAssertBody({ match: { where: [{ path: 'properties.id', matches: '(' }] } }))).toBe('match.where[0].matches')
    expect(fieldOf(() => parseAssertBody({ match: { where: [{ path: 'a..b', equals: 1 }] } }))).toBe('match.where[0].path')
    expect(fieldOf(() => parseAssertBody({ match: { where: [{ path: 'a' }] } }))).toBe('match.where[0]')
    expect(fieldOf(() => parseAssertBody({ match: { type: 'click' } }))).toBe('match.type')
    expect(fieldOf(() => parseAssertBody({ match: { properties: {} } }))).toBe('match.properties')
    expect(fieldOf(() => parseAssertBody({ match: {}, count: { exactly: 1, min: 1 } }))).toBe('count')
    expect(fieldOf(() => parseAssertBody({ match: {}, count: { min: 3, max: 1 } }))).toBe('count.min')
    expect(fieldOf(() => parseAssertBody({ match: {}, timeoutMs: 400_000 }))).toBe('timeoutMs')
    expect(fieldOf(() => parseAssertBody({ match: { since: 'yesterday' } }))).toBe('match.since')
    expect(fieldOf(() => parseAssertBody({}))).toBe('match')
    expect(fieldOf(() => parseAssertQuery({ sourceId: 'x' }))).toBe('sourceId')
    expect(fieldOf(() => parseAssertQuery({ type: 'track,click' }))).toBe('type')
    expect(fieldOf(() => parseAssertQuery({ userid: 'u' }))).toBe('userid')
  })

  it('reads query parameters and durations', () => {
    const q = parseAssertQuery({ type: 'track,page', event: 'Viewed', count: '2', timeoutMs: '100' })
    expect(q.matcher.types).toEqual(['track', 'page'])
    expect(q.count).toEqual({ min: 2, max: 2 })
    expect(q.timeoutMs).toBe(100)
    expect(parseDuration('30s', 'timeout')).toBe(30_000)
    expect(parseDuration('2m', 'timeout')).toBe(120_000)
    expect(parseDuration(1500, 'timeout')).toBe(1500)
    expect(parseDuration('250ms', 'timeout')).toBe(250)
    expect(fieldOf(() => parseDuration('soon', 'timeout'))).toBe('timeout')
  })
})
