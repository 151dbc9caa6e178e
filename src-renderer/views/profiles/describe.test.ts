import { describe, expect, it } from 'vitest'
import { describeCondition, partsText, traitComputes } from './describe'

describe('definitions in words', () => {
  it('says what a computed trait reads, without "events in"', () => {
    expect(partsText(traitComputes({ type: 'count', event: 'Order Completed', property: null }))).toBe('count of Order Completed')
    expect(partsText(traitComputes({ type: 'count', event: null, property: null }))).toBe('count of every track, page and screen')
    expect(traitComputes({ type: 'sum', event: 'Order Completed', property: 'properties.revenue' })).toEqual([{ text: 'sum of ' }, { text: 'properties.revenue', as: 'code' }, { text: ' over ' }, { text: 'Order Completed', as: 'strong' }])
    expect(partsText(traitComputes({ type: 'last', event: null, property: 'properties.coupon' }))).toBe('last of properties.coupon over every track, page and screen')
  })

  it('describes event conditions: ever, a window, and "did not" as fewer than N', () => {
    const name = (id: number) => `#${id}`
    const event = (did: boolean, withinDays: number | null, atLeast?: number) => ({ kind: 'event' as const, event: 'Order Completed', did, withinDays, ...(atLeast === undefined ? {} : { atLeast }) })
    expect(describeCondition(event(true, 30), name)).toBe('did Order Completed in the last 30 d')
    expect(describeCondition(event(true, null), name)).toBe('did Order Completed ever')
    expect(describeCondition(event(true, null, 3), name)).toBe('did Order Completed ≥ 3×')
    expect(describeCondition(event(false, 7), name)).toBe('never did Order Completed in the last 7 d')
    expect(describeCondition(event(false, null), name)).toBe('never did Order Completed')
    expect(describeCondition(event(false, null, 3), name)).toBe('did Order Completed fewer than 3×')
    expect(describeCondition({ kind: 'computed', traitId: 4, op: '>=', value: 100 }, name)).toBe('#4 >= 100')
  })
})
