// When background log consumers work: all out once ingest is quiet; under traffic that never pauses, a
// bounded turn every maxLagMs that stops as soon as the writer has work queued. Time is simulated: each slice
// "takes" 10 ms of the fake clock.

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { QuietScheduler } from './quiet-scheduler'

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] })
})
afterEach(() => {
  vi.useRealTimers()
})

function consumer(backlog: number) {
  const calls: number[] = []
  let left = backlog
  const work = (limit: number): number => {
    calls.push(limit)
    vi.setSystemTime(Date.now() + 10)
    const done = Math.min(limit, left)
    left -= done
    return done
  }
  return { calls, work, left: () => left }
}

const options = { slice: 500, trickle: 250, quietMs: 50, maxLagMs: 1000, budgetMs: 50 }

describe('QuietScheduler', () => {
  it('catches up in large slices once ingest is quiet, then stops until notified', async () => {
    const c = consumer(1200)
    const s = new QuietScheduler('test', c.work, options)
    s.start()
    s.notify()
    await vi.advanceTimersByTimeAsync(500)
    expect(c.left()).toBe(0)
    expect(c.calls.slice(0, 3)).toEqual([500, 500, 500])
    const n = c.calls.length
    await vi.advanceTimersByTimeAsync(5000)
    expect(c.calls.length).toBe(n)
    s.stop()
  })

  it('under traffic that never pauses works a bounded turn each second, slice by slice', async () => {
    const c = consumer(1_000_000)
    const s = new QuietScheduler('test', c.work, options)
    s.start()
    const traffic = setInterval(() => s.notify(), 5)
    await vi.advanceTimersByTimeAsync(10)
    c.calls.length = 0
    await vi.advanceTimersByTimeAsync(3000)
    clearInterval(traffic)
    s.stop()
    // Three overdue turns of 50 ms at 10 ms a slice, trickle-sized: ~15 slices, far from the 300 a free run would do.
    expect(c.calls.every((limit) => limit === 250)).toBe(true)
    expect(c.calls.length).toBeGreaterThanOrEqual(9)
    expect(c.calls.length).toBeLessThanOrEqual(21)
  })

  it('ends a turn after one slice while the writer has work queued', async () => {
    const c = consumer(1_000_000)
    const s = new QuietScheduler('test', c.work, options)
    s.yieldTo(() => true)
    s.start()
    const traffic = setInterval(() => s.notify(), 5)
    await vi.advanceTimersByTimeAsync(10)
    c.calls.length = 0
    await vi.advanceTimersByTimeAsync(3000)
    clearInterval(traffic)
    s.stop()
    expect(c.calls.length).toBeGreaterThanOrEqual(2)
    expect(c.calls.length).toBeLessThanOrEqual(4)
  })

  it('retries a failing slice after a pause instead of throwing', async () => {
    const lines: string[] = []
    let fail = true
    const calls: number[] = []
    const s = new QuietScheduler('test', (limit) => {
      calls.push(limit)
      if (fail) throw new Error('disk on fire')
      return 0
    }, { ...options, log: (line) => lines.push(line) })
    s.start()
    await vi.advanceTimersByTimeAsync(10)
    expect(lines[0]).toMatch(/test failed, retrying in 5 s: disk on fire/)
    fail = false
    await vi.advanceTimersByTimeAsync(4000)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(2000)
    expect(calls).toHaveLength(2)
    s.stop()
  })
})
