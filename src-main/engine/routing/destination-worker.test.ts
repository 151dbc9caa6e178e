// The worker's own rules, with the store and the events log replaced by small stand-ins: here, what it does
// when the store cannot record an attempt (the integration tests in routing.test.ts use the real engine).

import { createServer } from 'node:http'
import { expect, it } from 'vitest'
import type { StoreThread } from '../store/store-thread'
import type { DestinationReads, OutgoingRow } from '../store/destinations'
import { DestinationWorker } from './destination-worker'
import { testDeps, testDestination } from './test-worker'

it('sends the batch again when the store could not record the attempt; the cursor moves only once recorded', async () => {
  const received: string[] = []
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (c: Buffer) => (body += c)).on('end', () => (received.push(JSON.parse(body).messageId), res.end('{}')))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const row: OutgoingRow = { id: 7, source_id: 1, type: 'track', message_id: 'm-7', received_at: 1, timestamp: 1, original_timestamp: null, sent_at: null, payload: '{"event":"E"}' }
  let cursor = 0
  let failNext = true
  const recorded: (number | null)[] = []
  const reads = { cursorOf: () => cursor, nextEvents: (_: number, after: number) => (after < 7 ? [row] : []) } as unknown as DestinationReads
  const store = {
    async command(_name: string, args: { cursor: number | null }) {
      if (failNext) {
        failNext = false
        throw new Error('the store thread is restarting')
      }
      recorded.push(args.cursor)
      if (args.cursor !== null) cursor = args.cursor
      return 1
    }
  } as unknown as StoreThread
  const worker = new DestinationWorker(testDestination({ name: 'Hook', kind: 'webhook', settings: { url } }), testDeps({ reads, store }))
  try {
    worker.wake()
    await expect.poll(() => recorded, { timeout: 5000 }).toEqual([7])
    expect(received).toEqual(['m-7', 'm-7']) // at least once: sent again after the failed record
    expect(worker.status.cursor).toBe(7)
  } finally {
    await worker.stop()
    server.close()
  }
})

it('forgets its last error once nothing is left to send (the failing events were deleted meanwhile)', async () => {
  const server = createServer((_req, res) => {
    res.statusCode = 503
    res.end('down')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as { port: number }).port}/`
  const row: OutgoingRow = { id: 4, source_id: 1, type: 'track', message_id: 'm-4', received_at: Date.now(), timestamp: 1, original_timestamp: null, sent_at: null, payload: '{"event":"E"}' }
  let log: OutgoingRow[] = [row]
  const reads = { cursorOf: () => 0, nextEvents: () => log } as unknown as DestinationReads
  const store = { command: async () => 1 } as unknown as StoreThread
  // Long backoff: only retryNow() sends again.
  const policy = { retryWindowMs: 60_000, baseMs: 60_000, maxMs: 60_000, breakerThreshold: 5, breakerCooldownMs: 60_000 }
  const worker = new DestinationWorker(testDestination({ id: 2, name: 'Hook', kind: 'webhook', settings: { url } }), testDeps({ reads, store, policy }))
  try {
    worker.wake()
    await expect.poll(() => worker.lastError).toMatch(/503/)
    log = [] // a privacy deletion removed the events that kept failing
    worker.retryNow()
    await expect.poll(() => worker.status.state).toBe('idle')
    expect(worker.lastError).toBeNull()
  } finally {
    await worker.stop()
    server.close()
  }
})
