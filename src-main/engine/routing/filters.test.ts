import { describe, expect, it } from 'vitest'
import type { DestinationFilter } from '../../../src-shared/api'
import type { SegmentEvent } from '../destinations/driver'
import { compileFilters, type FilterOutcome } from './filters'

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const child of Object.values(value)) deepFreeze(child)
    Object.freeze(value)
  }
  return value
}

const order = (): SegmentEvent =>
  deepFreeze({
    type: 'track',
    event: 'Order Completed',
    userId: 'u1',
    properties: { total: 10, email: 'a@example.com', plan: 'pro', card: { last4: '4242', brand: 'visa' } },
    context: { ip: '10.0.0.1', traits: { phone: '555', name: 'Ann' } }
  })

const kept = (outcome: FilterOutcome): SegmentEvent => {
  if (!('event' in outcome)) throw new Error(`dropped: ${outcome.dropped}`)
  return outcome.event
}

describe('compileFilters: drop', () => {
  const filters: DestinationFilter[] = [{ title: 'No anonymous', if: 'length(userId) < 1', action: 'drop' }]

  it('drops matching events with a reason naming the filter, and passes the rest untouched', () => {
    const compiled = compileFilters(filters)
    expect(compiled.apply({ type: 'track', anonymousId: 'a1' }, 1)).toEqual({ dropped: 'filter "No anonymous": drop' })
    expect(compiled.apply({ type: 'track', userId: '' }, 1)).toEqual({ dropped: 'filter "No anonymous": drop' })
    const event = order()
    expect(kept(compiled.apply(event, 1))).toBe(event)
  })

  it('skips disabled filters, and filters of other sources', () => {
    const event = { type: 'track' }
    expect(compileFilters([{ ...filters[0]!, enabled: false }]).apply(event, 1)).toEqual({ event })
    const scoped = compileFilters([{ ...filters[0]!, sourceIds: [2, 3] }])
    expect(scoped.apply(event, 1)).toEqual({ event })
    expect(scoped.apply(event, 3)).toEqual({ dropped: 'filter "No anonymous": drop' })
    expect(compileFilters([{ ...filters[0]!, sourceIds: [] }]).apply(event, 9)).toHaveProperty('dropped')
    expect(compileFilters([{ ...filters[0]!, enabled: false }]).count).toBe(0)
  })

  it('"all" drops everything (an "only send" filter is a drop of the complement)', () => {
    expect(compileFilters([{ title: 'Mute', if: 'all', action: 'drop' }]).apply(order(), 1)).toEqual({ dropped: 'filter "Mute": drop' })
    const onlySend = compileFilters([{ title: 'Only orders', if: '!(event = "Order Completed")', action: 'drop' }])
    expect(onlySend.apply(order(), 1)).toHaveProperty('event')
    expect(onlySend.apply({ type: 'identify', userId: 'u1' }, 1)).toEqual({ dropped: 'filter "Only orders": drop' })
  })
})

describe('compileFilters: the order of stages', () => {
  it('drops before it drops properties, whatever the listed order', () => {
    // Listed first, but drop_properties acts after drop: the drop still sees the email.
    const compiled = compileFilters([
      { title: 'Strip email', if: 'all', action: 'drop_properties', fields: { properties: ['email'] } },
      { title: 'No emails', if: 'properties.email != null', action: 'drop' }
    ])
    expect(compiled.apply(order(), 1)).toEqual({ dropped: 'filter "No emails": drop' })
  })

  it('samples before it drops', () => {
    const compiled = compileFilters([
      { title: 'Drop orders', if: 'event = "Order Completed"', action: 'drop' },
      { title: 'Tenth', if: 'all', action: 'sample', percent: 10 }
    ], { random: () => 0.5 })
    expect(compiled.apply(order(), 1)).toEqual({ dropped: 'filter "Tenth": sampled out (keeps 10%)' })
  })

  it('allows properties after dropping them, each stage seeing the event the one before produced', () => {
    const compiled = compileFilters([
      { title: 'Keep a few', if: 'properties.email = null', action: 'allow_properties', fields: { properties: ['plan', 'email', 'total'] } },
      { title: 'Strip email', if: 'all', action: 'drop_properties', fields: { properties: ['email'] } }
    ])
    expect(kept(compiled.apply(order(), 1)).properties).toEqual({ total: 10, plan: 'pro' })
  })

  it('applies filters of one stage in their listed order', () => {
    const compiled = compileFilters([
      { title: 'First', if: 'properties.total > 5', action: 'drop_properties', fields: { properties: ['total'] } },
      { title: 'Second', if: 'properties.total > 5', action: 'drop_properties', fields: { properties: ['plan'] } }
    ])
    expect(Object.keys(kept(compiled.apply(order(), 1)).properties as object)).toEqual(['email', 'plan', 'card'])
  })
})

describe('compileFilters: sample', () => {
  it('keeps percent% of matching events using the injected random source; non-matching ones are not sampled', () => {
    let next = 0
    const draws = [0.1, 0.29, 0.3, 0.9]
    const compiled = compileFilters([{ title: 'Some tracks', if: 'type = "track"', action: 'sample', percent: 30 }], { random: () => draws[next++]! })
    expect(draws.map(() => 'event' in compiled.apply({ type: 'track' }, 1))).toEqual([true, true, false, false])
    expect(compiled.apply({ type: 'identify' }, 1)).toHaveProperty('event')
    expect(next).toBe(4) // the identify drew nothing
  })

  it('keeps everything at 100% and nothing at 0%', () => {
    const at = (percent: number) => compileFilters([{ title: 'S', if: 'all', action: 'sample', percent }], { random: () => 0.999999 })
    expect(at(100).apply(order(), 1)).toHaveProperty('event')
    expect(compileFilters([{ title: 'S', if: 'all', action: 'sample', percent: 0 }], { random: () => 0 }).apply(order(), 1)).toHaveProperty('dropped')
  })

  it('with a path, decides by that field: the same user always gets the same answer, near percent% of users are kept', () => {
    const random = () => {
      throw new Error('a path-sampled event with the field present must not draw')
    }
    const filter: DestinationFilter = { title: 'Half the users', if: 'all', action: 'sample', percent: 50, path: 'userId' }
    const first = compileFilters([filter], { random })
    const again = compileFilters([filter], { random })
    const users = Array.from({ length: 2000 }, (_, i) => `user-${i}`)
    const decisions = users.map((userId) => 'event' in first.apply({ type: 'track', userId, event: 'A' }, 1))
    expect(users.map((userId) => 'event' in again.apply({ type: 'identify', userId }, 1))).toEqual(decisions)
    const share = decisions.filter(Boolean).length / users.length
    expect(share).toBeGreaterThan(0.45)
    expect(share).toBeLessThan(0.55)
    // A kept user at 50% is kept at 80% too: the hash is the same, the bar is higher.
    const wider = compileFilters([{ ...filter, percent: 80 }], { random })
    users.forEach((userId, i) => {
      if (decisions[i]) expect(wider.apply({ userId }, 1)).toHaveProperty('event')
    })
  })

  it('with a path the event lacks, falls back to the random source', () => {
    const compiled = compileFilters([{ title: 'By plan', if: 'all', action: 'sample', percent: 50, path: 'properties.plan' }], { random: () => 0.9 })
    expect(compiled.apply({ type: 'track' }, 1)).toEqual({ dropped: 'filter "By plan": sampled out (keeps 50%)' })
  })

  it('hashes non-string values (numbers, objects) too', () => {
    const compiled = compileFilters([{ title: 'By account', if: 'all', action: 'sample', percent: 50, path: 'properties.account' }], { random: () => { throw new Error('no draw') } })
    const a = compiled.apply({ properties: { account: 12345 } }, 1)
    expect(compiled.apply({ properties: { account: 12345 } }, 1)).toEqual(a)
    expect(() => compiled.apply({ properties: { account: { id: 1 } } }, 1)).not.toThrow()
  })
})

describe('compileFilters: drop_properties and allow_properties', () => {
  it('drops keys at nested object paths, returning a copy and never touching the input', () => {
    const event = order() // deep-frozen: any mutation would throw
    const compiled = compileFilters([
      { title: 'PII', if: 'all', action: 'drop_properties', fields: { properties: ['email', 'missing'], 'context.traits': ['phone'], 'properties.card': ['last4'] } }
    ])
    const out = kept(compiled.apply(event, 1))
    expect(out).not.toBe(event)
    expect(out.properties).toEqual({ total: 10, plan: 'pro', card: { brand: 'visa' } })
    expect(out.context).toEqual({ ip: '10.0.0.1', traits: { name: 'Ann' } })
    expect(event).toEqual(order())
  })

  it('shares the branches it does not change, and returns the very input when nothing changes', () => {
    const event = order()
    const out = kept(compileFilters([{ title: 'Phone', if: 'all', action: 'drop_properties', fields: { 'context.traits': ['phone'] } }]).apply(event, 1))
    expect(out.properties).toBe(event.properties)
    const none = compileFilters([{ title: 'Nothing', if: 'all', action: 'drop_properties', fields: { properties: ['nope'], 'context.missing': ['x'], 'properties.total': ['x'] } }])
    expect(kept(none.apply(event, 1))).toBe(event)
  })

  it('keeps only the allowed keys at each path, leaving other paths alone', () => {
    const event = order()
    const compiled = compileFilters([{ title: 'Allow', if: 'type = "track"', action: 'allow_properties', fields: { properties: ['total', 'card'], 'properties.card': ['brand'], 'context.traits': [] } }])
    const out = kept(compiled.apply(event, 1))
    expect(out.properties).toEqual({ total: 10, card: { brand: 'visa' } })
    expect(out.context).toEqual({ ip: '10.0.0.1', traits: {} })
    expect(out.userId).toBe('u1')
    expect(kept(compiled.apply({ type: 'identify', traits: { a: 1 } }, 1))).toEqual({ type: 'identify', traits: { a: 1 } })
  })

  it('reaches keys with escaped path segments and treats "__proto__" as a plain key', () => {
    const event = deepFreeze(JSON.parse('{"properties":{"product 1":{"price":1,"cost":2},"__proto__":{"x":1}}}') as SegmentEvent)
    const out = kept(
      compileFilters([
        { title: 'Cost', if: 'all', action: 'drop_properties', fields: { 'properties.product\\ 1': ['cost'], 'properties.__proto__': ['x'] } }
      ]).apply(event, 1)
    )
    const properties = out.properties as Record<string, unknown>
    expect(properties['product 1']).toEqual({ price: 1 })
    expect(Object.getOwnPropertyDescriptor(properties, '__proto__')?.value).toEqual({})
    expect(Object.getPrototypeOf(properties)).toBe(Object.prototype)
  })
})

describe('compileFilters: bad input', () => {
  it('throws naming the filter when its FQL or a path is malformed', () => {
    expect(() => compileFilters([{ title: 'Broken', if: 'type == "track"', action: 'drop' }])).toThrow('filter "Broken": "==" is not an FQL operator; use "=" at 5')
    expect(() => compileFilters([{ title: 'Bad path', if: 'all', action: 'sample', percent: 5, path: 'user id' }])).toThrow(/^filter "Bad path": /)
    expect(() => compileFilters([{ title: 'Bad fields', if: 'all', action: 'drop_properties', fields: { 'properties.': ['a'] } }])).toThrow(/^filter "Bad fields": expected a field name/)
  })
})
