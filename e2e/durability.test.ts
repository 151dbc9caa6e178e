// Ack = durable: kill -9 the engine while clients are sending; after a restart every message that got a
// 200 is in the database.

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, expect, it } from 'vitest'
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
