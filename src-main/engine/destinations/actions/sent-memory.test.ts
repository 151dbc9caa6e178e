// The retry memory on its own: sends that overlap in time must not forget what another send delivered.

import { describe, expect, it } from 'vitest'
import { SentMemory } from './sent-memory'

describe('SentMemory', () => {
  it('keeps a stopped send’s deliveries while an unrelated send succeeds, and gives them to its retry', () => {
    const memory = new SentMemory()
    // Send A (a1, a2) delivered subscription 0 for both, then stopped on subscription 1.
    const a = memory.recall(['a1', 'a2'])
    expect(a.sent.size).toBe(0)
    // Send B runs meanwhile (maxInFlight 2, a replay or a test event) and succeeds.
    const b = memory.recall(['b1'])
    memory.remember(a, ['a1', 'a2'], new Set(['0:a1', '0:a2']))
    memory.forget(b)
    // A's retry (holding newer events after A's as well) skips what A delivered.
    const retry = memory.recall(['a1', 'a2', 'a3'])
    expect([...retry.sent].sort()).toEqual(['0:a1', '0:a2'])
    // Another send holding only part of A's events is not A's retry.
    expect(memory.recall(['a1']).sent.size).toBe(0)
    // Delivered at last: forgotten, so a replay of the same events later sends them as asked.
    memory.forget(retry)
    expect(memory.recall(['a1', 'a2']).sent.size).toBe(0)
    expect(memory.size).toBe(0)
  })

  it('a retry that stops again keeps what both attempts delivered, once', () => {
    const memory = new SentMemory()
    const first = memory.recall(['m1', 'm2'])
    memory.remember(first, ['m1', 'm2'], new Set(['0:m1', '0:m2']))
    const second = memory.recall(['m1', 'm2'])
    memory.remember(second, ['m1', 'm2'], new Set([...second.sent, '1:m1']))
    expect(memory.size).toBe(1)
    expect([...memory.recall(['m1', 'm2']).sent].sort()).toEqual(['0:m1', '0:m2', '1:m1'])
  })

  it('remembers nothing for events without messageIds (an entry covering none would match every send)', () => {
    const memory = new SentMemory()
    memory.remember(memory.recall([]), [], new Set(['0:x']))
    expect(memory.recall(['anything']).sent.size).toBe(0)
    expect(memory.size).toBe(0)
  })

  it('stays bounded when stopped sends are never retried (the router gave up on them)', () => {
    const memory = new SentMemory()
    for (let i = 0; i < 1000; i++) memory.remember(memory.recall([`e${i}`]), [`e${i}`], new Set([`0:e${i}`]))
    expect(memory.size).toBeLessThanOrEqual(256)
    expect(memory.recall(['e999']).sent.has('0:e999')).toBe(true)
  })
})
