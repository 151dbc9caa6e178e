import { describe, expect, it } from 'vitest'
import { ApiError } from '../errors'
import { LiveBus } from '../live-bus'
import { Waiters } from './wait-for'

describe('Waiters', () => {
  it('caps the waiters (429 beyond) and frees slots on release', () => {
    const waiters = new Waiters(new LiveBus(), 3)
    const release = waiters.reserve(2)
    expect(() => waiters.reserve(2)).toThrow(ApiError)
    try {
      waiters.reserve(2)
    } catch (error) {
      expect((error as ApiError).status).toBe(429)
    }
    release()
    release() // twice is harmless
    expect(waiters.waiting).toBe(0)
    waiters.reserve(3)()
  })

  it('follows the live bus until unwatched, and stops every waiter at once', () => {
    const bus = new LiveBus()
    const waiters = new Waiters(bus)
    const seen: number[] = []
    let stopped = 0
    const unwatch = waiters.watch((events) => seen.push(...events.map((e) => e.id)), () => stopped++)
    bus.publish([{ id: 7, row: {} as never }])
    waiters.stopAll()
    expect(stopped).toBe(1)
    unwatch()
    bus.publish([{ id: 8, row: {} as never }])
    expect(seen).toEqual([7])
    expect(bus.subscribers).toBe(0)
  })
})
