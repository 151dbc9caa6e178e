// Ack = durable: kill -9 the engine while clients are sending; after a restart every message that got a
// 200 is in the database. And delivery resumes from its durable cursor after a kill -9.

import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
import { Receiver } from '../src-main/engine/routing/test-receiver'
import { startTestEngine } from '../src-main/engine/test-engine'
import { startServe } from './support/serve-process'

const dataDir = mkdtempSync(join(tmpdir(), 'loupe-durability-'))
afterAll(() => rmSync(dataDir, { recursive: true, force: true }))

it('keeps every acknowledged message across a kill -9', async () => {
  const serve = await startServe(dataDir)
  const acknowledged = new Set<string>()
  let stop = false
  let sent = 0

  const sender = async (worker: number): Promise<void> => {
    for (let n = 0; !stop; n++) {
      const ids = Array.from({ length: 20 }, (_, i) => `dur-${worker}-${n}-${i}`)
      sent += ids.length
      try {
        const res = await fetch(`${serve.baseUrl}/v1/batch`, {
          method: 'POST',
          headers: { authorization: `Basic ${Buffer.from('wk_durable:').toString('base64')}` },
          body: JSON.stringify({ batch: ids.map((messageId) => ({ type: 'track', event: 'Durable', userId: `u${worker}`, messageId })) })
        })
        if (res.status === 200) for (const id of ids) acknowledged.add(id)
      } catch {
        // the engine died mid-request: this batch was not acknowledged
      }
    }
  }

  const senders = Array.from({ length: 8 }, (_, i) => sender(i))
  await new Promise((resolve) => setTimeout(resolve, 1500))
  serve.child.kill('SIGKILL')
  expect(await serve.exited).toBe('SIGKILL')
  stop = true
  await Promise.all(senders)
  expect(acknowledged.size).toBeGreaterThan(500)

  // Restart on the same data dir (the dead engine's lock is taken over) and look for every ack.
  const restarted = await startTestEngine({ dataDir })
  try {
    const stored = new Set(
      (restarted.engine.context.db.prepare('SELECT message_id FROM events').pluck().all() as string[])
    )
    const missing = [...acknowledged].filter((id) => !stored.has(id))
    expect(missing).toEqual([])
    expect(stored.size).toBeLessThanOrEqual(sent)
    process.stdout.write(`durability: ${acknowledged.size} acknowledged, ${stored.size} stored, ${sent} sent before kill -9\n`)
  } finally {
    await restarted.stop({ keepData: true })
  }
})

it('resumes delivery after a kill -9 mid-delivery: every event reaches the destination, duplicates only from the batches not yet recorded', async () => {
  const deliveryDir = mkdtempSync(join(tmpdir(), 'loupe-durability-delivery-'))
  const receiver = new Receiver()
  await receiver.listen()
  // Slow answers keep a batch in flight when the engine dies.
  receiver.answers.push(...Array.from({ length: 10_000 }, () => ({ status: 200, delayMs: 30 })))
  const serve = await startServe(deliveryDir)
  const token = readFileSync(join(deliveryDir, 'admin-token'), 'utf8').trim()
  const admin = (path: string, body: unknown) =>
    fetch(`${serve.baseUrl}${path}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) }).then((r) => r.json() as Promise<any>)
  try {
    const source = await admin('/api/sources', { name: 'Durable delivery', writeKey: 'wk_durable_delivery' })
    await admin('/api/destinations', { name: 'Hook', kind: 'webhook', settings: { url: receiver.url, batch: true, batchSize: 50 }, sourceIds: [source.id] })
    const ids = Array.from({ length: 2000 }, (_, i) => `dd-${i}`)
    for (let i = 0; i < ids.length; i += 500) {
      const res = await fetch(`${serve.baseUrl}/v1/batch`, {
        method: 'POST',
        headers: { authorization: `Basic ${Buffer.from('wk_durable_delivery:').toString('base64')}` },
        body: JSON.stringify({ batch: ids.slice(i, i + 500).map((messageId) => ({ type: 'track', event: 'Durable', userId: 'u', messageId })) })
      })
      expect(res.status).toBe(200)
    }
    await expect.poll(() => receiver.events().length, { timeout: 20_000 }).toBeGreaterThan(200)
    serve.child.kill('SIGKILL')
    expect(await serve.exited).toBe('SIGKILL')
    const beforeKill = receiver.events().length
    expect(beforeKill).toBeLessThan(ids.length)

    const restarted = await startTestEngine({ dataDir: deliveryDir })
    try {
      await expect.poll(() => new Set(receiver.events().map((e) => e.messageId)).size, { timeout: 60_000 }).toBe(ids.length)
      const counts = new Map<string, number>()
      for (const e of receiver.events()) counts.set(e.messageId, (counts.get(e.messageId) ?? 0) + 1)
      const duplicated = [...counts.values()].filter((n) => n > 1).length
      // At least once: only what was sent but not yet recorded at the kill may arrive twice — the round in flight
      // and the one whose record the store had not committed yet (delivery pipelines them): two batches of 50.
      expect(duplicated).toBeLessThanOrEqual(100)
      process.stdout.write(`delivery after kill -9: ${beforeKill} delivered before, ${ids.length} in all, ${duplicated} sent twice\n`)
    } finally {
      await restarted.stop()
    }
  } finally {
    if (serve.child.exitCode === null) serve.child.kill('SIGKILL')
    await receiver.close()
    rmSync(deliveryDir, { recursive: true, force: true })
  }
})
