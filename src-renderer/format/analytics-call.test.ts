import { describe, expect, it } from 'vitest'
import type { JsonObject, SegmentType } from '../../src-shared/segment'
import { analyticsCall } from './analytics-call'

/** Runs the generated code against a recording `analytics`, proving it is valid JS with the right arguments. */
function run(type: SegmentType, payload: JsonObject): [string, unknown[]] {
  const calls: [string, unknown[]][] = []
  const analytics = new Proxy({}, { get: (_t, method: string) => (...args: unknown[]) => calls.push([method, args]) })
  new Function('analytics', analyticsCall(type, payload))(analytics)
  expect(calls).toHaveLength(1)
  return calls[0]!
}

describe('analyticsCall', () => {
  it('track(event, properties)', () => {
    expect(analyticsCall('track', { event: 'Order Completed', properties: { revenue: 9.99 } })).toBe('analytics.track("Order Completed", {\n  "revenue": 9.99\n})')
    expect(run('track', { event: '</script>', properties: { html: '<img src=x onerror=alert(1)>' } })).toEqual(['track', ['</script>', { html: '<img src=x onerror=alert(1)>' }]])
  })
  it('identify(userId?, traits)', () => {
    expect(run('identify', { userId: 'u1', traits: { plan: 'pro' } })).toEqual(['identify', ['u1', { plan: 'pro' }]])
    expect(run('identify', { anonymousId: 'a1', traits: { plan: 'pro' } })).toEqual(['identify', [{ plan: 'pro' }]])
  })
  it('page/screen(category?, name?, properties)', () => {
    expect(run('page', { category: 'Docs', name: 'Home', properties: { a: 1 } })).toEqual(['page', ['Docs', 'Home', { a: 1 }]])
    expect(run('page', { name: 'Home' })).toEqual(['page', ['Home', {}]])
    expect(run('page', {})).toEqual(['page', [{}]])
    expect(run('screen', { name: 'Main' })).toEqual(['screen', ['Main', {}]])
  })
  it('group(groupId, traits) and alias(userId, previousId)', () => {
    expect(run('group', { groupId: 'g1', traits: { name: 'Acme' } })).toEqual(['group', ['g1', { name: 'Acme' }]])
    expect(run('alias', { userId: 'u1', previousId: 'anon-1' })).toEqual(['alias', ['u1', 'anon-1']])
  })
  it('tolerates fields of the wrong type', () => {
    expect(run('track', { event: 42, properties: [1, 2] })).toEqual(['track', ['42', {}]])
  })
})
