// loupe/testing as a test suite uses it: startLoupe spawns a real `loupe serve`, the real analytics-node
// client sends with a run's write key, createLoupe asserts over HTTP. The Playwright fixtures are called
// directly, the way Playwright calls them, without a Playwright runner.

import { Analytics } from '@segment/analytics-node'
import { existsSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLoupe, LoupeAssertionError, startLoupe, type LoupeClient, type LoupeRun, type StartedLoupe } from '../testing/index'
import { createLoupeFixtures, type LoupeServer } from '../testing/playwright'

let server: StartedLoupe
let loupe: LoupeClient

beforeAll(async () => {
  server = await startLoupe()
  loupe = createLoupe(server)
})
afterAll(async () => {
  await server?.stop()
})

async function send(url: string, writeKey: string, calls: (analytics: Analytics) => void): Promise<void> {
  const analytics = new Analytics({ writeKey, host: url, flushAt: 20, flushInterval: 50, maxRetries: 3 })
  calls(analytics)
  await analytics.closeAndFlush()
}

describe('loupe/testing client', () => {
  it('asserts an event sent with the run write key, and other runs do not see it', async () => {
    const run = await loupe.startRun('checkout')
    expect(run.writeKey).toBeTruthy()
    await send(server.url, run.writeKey, (a) => {
      a.identify({ userId: 'u-1', traits: { plan: 'pro' } })
      a.track({ userId: 'u-1', event: 'Order Completed', properties: { total: 10, currency: 'EUR' } })
    })

    const result = await run.expectEvent({ type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, 1)
    expect(result.count).toBe(1)
    expect(result.events[0]!.payload.properties).toEqual({ total: 10, currency: 'EUR' })
    await loupe.expectEvent({ runId: run.id, type: 'identify', userId: 'u-1', where: [{ path: 'traits.plan', exists: true }] })

    const other = await loupe.startRun('another test')
    expect(await other.events({ event: 'Order Completed' })).toEqual([])
    await expect(other.expectEvent({ event: 'Order Completed' })).rejects.toThrow(LoupeAssertionError)
    await other.endRun()
    const ended = await run.endRun()
    expect(ended.endedAt).not.toBeNull()
  })

  it('waits for an event that arrives after the wait began', async () => {
    const run = await loupe.startRun('late flush')
    const waiting = run.waitForEvent({ event: 'Late Event' }, { timeoutMs: 30_000 })
    expect(await run.events({ event: 'Late Event' })).toEqual([])
    await send(server.url, run.writeKey, (a) => a.track({ anonymousId: 'anon-1', event: 'Late Event', properties: { n: 1 } }))
    const result = await waiting
    expect(result.matched).toBe(true)
    expect(result.events[0]!.name).toBe('Late Event')
    await run.endRun()
  })

  it('throws a readable report naming the wrong property', async () => {
    const run = await loupe.startRun('wrong total')
    await send(server.url, run.writeKey, (a) => a.track({ userId: 'u-2', event: 'Order Completed', properties: { total: 12 } }))

    const failure = await run.expectEvent({ type: 'track', event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, 1).then(
      () => null,
      (error: unknown) => error
    )
    expect(failure).toBeInstanceOf(LoupeAssertionError)
    const { message, result } = failure as LoupeAssertionError
    expect(result.matched).toBe(false)
    expect(result.nearMisses[0]!.differences.join('\n')).toContain('properties.total')
    expect(message).toContain('Order Completed')
    expect(message).toContain('found 0')
    expect(message).toContain('Closest events:')
    expect(message).toMatch(/- properties\.total.*12/)

    // a wait that runs out fails the same way, with the same report
    await expect(run.waitForEvent({ event: 'Never Sent' }, { timeoutMs: 100 })).rejects.toThrow(/expected .*Never Sent.*found 0/)
    await run.endRun()
  })

  it('clears a run and a source, and nothing else', async () => {
    const run = await loupe.startRun('to clear')
    await send(server.url, run.writeKey, (a) => a.track({ userId: 'u-3', event: 'Cleared' }))
    await send(server.url, 'wk_testing_client_plain', (a) => a.track({ userId: 'u-3', event: 'Plain' }))
    const [plain] = await loupe.events({ event: 'Plain' })
    expect(plain).toBeDefined()

    await run.clear()
    expect(await run.events({ event: 'Cleared' })).toEqual([])
    expect(await loupe.events({ event: 'Plain' })).toHaveLength(1)
    await loupe.clearSource(plain!.sourceId)
    expect(await loupe.events({ event: 'Plain' })).toEqual([])
    await run.endRun()
  })
})

describe('loupe/testing/playwright fixtures', () => {
  it('start a server per worker, a run per test, and tear both down', async () => {
    const fixtures = createLoupeFixtures()
    const [workerFixture, workerOptions] = fixtures.loupe
    expect(workerOptions.scope).toBe('worker')
    // Playwright finds a fixture's dependencies by reading its first parameter: it must be an object pattern
    expect(String(workerFixture)).toMatch(/^async \(\{\s*\}/)
    expect(String(fixtures.loupeRun)).toMatch(/^async \(\{\s*loupe\s*\}/)

    let started: LoupeServer | undefined
    let seenRun: LoupeRun | undefined
    await workerFixture({}, async (worker) => {
      started = worker
      await fixtures.loupeRun(
        { loupe: worker },
        async (run) => {
          seenRun = run
          await send(worker.url, run.writeKey, (a) => a.track({ userId: 'pw-user', event: 'Fixture Event' }))
          await run.expectEvent({ event: 'Fixture Event', userId: 'pw-user' }, 1)
        },
        { title: 'sends an event', titlePath: ['checkout.spec.ts', 'checkout', 'sends an event'] }
      )
      expect(seenRun!.run.name).toBe('checkout.spec.ts › checkout › sends an event')
      // ended after the test, with the test's event in it
      const ended = await worker.getRun(seenRun!.id)
      expect(ended.endedAt).not.toBeNull()
      expect(ended.events).toBe(1)
    })
    expect(started).toBeDefined()
    expect(existsSync(started!.dataDir)).toBe(false)
    await expect(createLoupe(started!).events({})).rejects.toThrow(/Could not reach Loupe/)
  })
})
