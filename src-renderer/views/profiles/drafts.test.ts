import { describe, expect, it } from 'vitest'
import type { Audience } from '../../../src-shared/identity'
import { audienceDefinition, type ConditionDraft, audienceDraftOf, conditionValue, EMPTY_TRAIT, traitDefinition } from './drafts'

describe('computed trait and audience drafts', () => {
  it('turns a trait draft into a definition: empty is not set, count reads no property', () => {
    expect(traitDefinition({ ...EMPTY_TRAIT, name: ' Orders ', property: 'properties.x' })).toEqual({ name: 'Orders', type: 'count', event: null, property: null, windowDays: null })
    expect(traitDefinition({ name: 'Revenue', type: 'sum', event: 'Order Completed', property: 'properties.revenue', windowDays: '30' })).toEqual({ name: 'Revenue', type: 'sum', event: 'Order Completed', property: 'properties.revenue', windowDays: 30 })
    // Not a number: sent as typed, so the engine's refusal names windowDays.
    expect(traitDefinition({ ...EMPTY_TRAIT, windowDays: 'soon' }).windowDays).toBe('soon')
  })

  it('reads condition values as people mean them', () => {
    expect(conditionValue('true')).toBe(true)
    expect(conditionValue('100')).toBe(100)
    expect(conditionValue('-2.5')).toBe(-2.5)
    expect(conditionValue('pro')).toBe('pro')
    expect(conditionValue('1e3')).toBe('1e3')
  })

  it('round-trips an audience through its draft', () => {
    const audience: Audience = {
      id: 1,
      key: 'big',
      state: 'live',
      members: 0,
      createdAt: '',
      name: 'Big',
      match: 'any',
      conditions: [
        { kind: 'computed', traitId: 3, op: '>=', value: 100 },
        { kind: 'trait', key: 'plan', op: 'exists' },
        { kind: 'event', event: 'Order Completed', did: false, withinDays: 7 },
        { kind: 'event', event: 'Refund Requested', did: false, withinDays: null, atLeast: 3 },
        { kind: 'event', event: 'Signed Up', did: true, withinDays: null },
        { kind: 'event', event: 'Signed In', did: true, withinDays: 30, atLeast: 2 }
      ],
      sourceId: 4,
      emitIdentify: true,
      emitTrack: false
    }
    const { id: _i, key: _k, state: _s, members: _m, createdAt: _c, ...definition } = audience
    expect(audienceDefinition(audienceDraftOf(audience))).toEqual(definition)
  })
})

describe('audience preview readiness', () => {
  it('names the first condition still blank', async () => {
    const { missingInAudience, EMPTY_AUDIENCE, NEW_CONDITION } = await import('./drafts')
    expect(missingInAudience(EMPTY_AUDIENCE)).toMatch(/^Condition 1: name a trait/)
    expect(missingInAudience({ ...EMPTY_AUDIENCE, conditions: [{ kind: 'trait', key: 'plan', op: 'exists', value: '' }, NEW_CONDITION.event] })).toMatch(/^Condition 2: name an event/)
    expect(missingInAudience({ ...EMPTY_AUDIENCE, conditions: [{ kind: 'trait', key: 'plan', op: 'exists', value: '' }] })).toBeNull()
  })
})

describe('event conditions', () => {
  it('sends ever as no window, and empty days under "in the last" as typed for the engine to name', async () => {
    const { conditionOf, NEW_CONDITION } = await import('./drafts')
    const event = { ...NEW_CONDITION.event, event: 'Order Completed' } as Extract<ConditionDraft, { kind: 'event' }>
    expect(conditionOf({ ...event, ever: true })).toEqual({ kind: 'event', event: 'Order Completed', did: true, withinDays: null })
    expect(conditionOf({ ...event, did: false, atLeast: '2' })).toEqual({ kind: 'event', event: 'Order Completed', did: false, withinDays: 30, atLeast: 2 })
    expect(conditionOf({ ...event, withinDays: ' ' })).toMatchObject({ withinDays: ' ' })
  })
})
