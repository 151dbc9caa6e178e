import { describe, expect, it } from 'vitest'
import type { PlanRule } from '../../../src-shared/plans'
import { planFileName, rulesWithObserved, toPlanFile } from './plan-file'

const schema = { type: 'object', properties: { properties: { type: 'object', properties: { total: { type: 'number' } }, required: ['total'] } } }

describe('plan files', () => {
  it('exports a draft in Segment’s shape under a safe name', () => {
    const rules: PlanRule[] = [{ type: 'TRACK', key: 'A', jsonSchema: schema }]
    expect(toPlanFile({ name: 'P', description: '', rules })).toEqual({ name: 'P', description: '', rules })
    expect(planFileName('Web & iOS!', 3)).toBe('web-ios-v3.json')
  })
})

describe('rulesWithObserved', () => {
  const observed = {
    type: 'track',
    name: 'Order Completed',
    count: 10,
    firstSeen: '2026-01-01T00:00:00Z',
    lastSeen: '2026-01-02T00:00:00Z',
    planned: false,
    properties: [
      { path: 'total', types: ['number', 'integer'], count: 10, example: '12' },
      { path: 'coupon', types: ['string'], count: 3, example: '"X"' },
      { path: 'items.$.sku', types: ['string'], count: 3, example: '"s"' }
    ]
  }

  it('adds a new TRACK rule with the observed top-level properties', () => {
    const rule = rulesWithObserved([], observed)[0]!
    expect(rule.type).toBe('TRACK')
    expect(rule.key).toBe('Order Completed')
    expect((rule.jsonSchema as any).properties.properties).toEqual({ type: 'object', properties: { total: { type: 'number' }, coupon: { type: 'string' } }, required: ['total'] })
  })

  it('adds only the unplanned properties to an existing rule', () => {
    const existing: PlanRule = { type: 'TRACK', key: 'Order Completed', version: 2, jsonSchema: schema }
    const other: PlanRule = { type: 'COMMON', jsonSchema: {} }
    const [first, rule] = rulesWithObserved([other, existing], observed) as [PlanRule, PlanRule]
    expect(first).toBe(other)
    expect(rule.version).toBe(2)
    expect((rule.jsonSchema as any).properties.properties.properties).toEqual({ total: { type: 'number' }, coupon: { type: 'string' } })
  })

  it('ignores events that are not track calls', () => {
    expect(rulesWithObserved([], { ...observed, type: 'identify', name: null })).toEqual([])
  })
})
