// The engine host under plain Node with a fake parent port: the real engine, the real protocol.
// Also the tray's admin calls (stats, pause) against that engine.

import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEngine } from '../engine/index'
import { fetchStats, setCapturePaused } from './admin-client'
import type { EngineReadyMessage, FromHostMessage, ToHostMessage } from './engine-protocol'
import { runEngineHost } from './run-engine-host'

const cleanup: Array<() => Promise<void> | void> = []
afterEach(async () => {
  for (const fn of cleanup.splice(0).reverse()) await fn()
})

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'loupe-host-'))
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }))
  return dir
}

function fakeHost() {
  const messages: FromHostMessage[] = []
  const exits: number[] = []
  let listener: ((event: { data: unknown }) => void) | null = null
  const host = runEngineHost(
    { on: (_event, fn) => (listener = fn), postMessage: (message) => messages.push(message) },
    { createEngine, exit: (code) => exits.push(code), log: () => {}, env: {} }
  )
  const send = (data: ToHostMessage) => listener!({ data })
  const next = async (type: FromHostMessage['type']): Promise<FromHostMessage> => {
    const deadline = Date.now() + 20_000
    while (Date.now() < deadline) {
      const found = messages.find((m) => m.type === type)
      if (found) return found
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    throw new Error(`no ${type} message; got ${JSON.stringify(messages)}`)
  }
  return { host, send, next, messages, exits }
}

async function startHost(dataDir: string, port = 0) {
  const h = fakeHost()
  h.send({ type: 'start', dataDir, port })
  const first = await Promise.race([h.next('ready'), h.next('failed')])
  if (first.type === 'ready') cleanup.push(() => h.host.stop())
  return { ...h, first }
}

describe('engine host', () => {
  it('starts the engine, reports address and token, and stops it cleanly', async () => {
    const dataDir = tempDir()
    const { first, send, next, exits } = await startHost(dataDir)
    const ready = first as EngineReadyMessage
    expect(ready.type).toBe('ready')
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
    expect(ready.token).toBe(token)
    expect(ready.loginUrl).toBe(`${ready.baseUrl}/login?token=${token}`)
    expect(ready.portFallback).toBe(false)
    expect((await fetch(`${ready.baseUrl}/health`)).status).toBe(200)

    send({ type: 'stop' })
    await next('stopped')
    await vi.waitFor(() => expect(exits).toEqual([0]))
    expect(existsSync(join(dataDir, 'loupe.lock'))).toBe(false)
  })

  it('falls back to a free port when the preferred one is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    cleanup.push(() => new Promise<void>((resolve) => blocker.close(() => resolve())))
    const taken = (blocker.address() as { port: number }).port
    const { first } = await startHost(tempDir(), taken)
    const ready = first as EngineReadyMessage
    expect(ready.type).toBe('ready')
    expect(ready.portFallback).toBe(true)
    expect(new URL(ready.baseUrl).port).not.toBe(String(taken))
  })

  it('reports a data dir held by another Loupe as "locked" (no point restarting) and exits', async () => {
    const dataDir = tempDir()
    await startHost(dataDir)
    const second = await startHost(dataDir)
    expect(second.first).toMatchObject({ type: 'failed', reason: 'locked' })
    expect(second.first.type === 'failed' && second.first.message).toContain('is using the data dir')
    await vi.waitFor(() => expect(second.exits).toEqual([1]))
  })

  it('ignores a second start and malformed messages', async () => {
    const { send, messages } = await startHost(tempDir())
    send({ type: 'start', dataDir: '/elsewhere', port: 0 })
    ;(send as (data: unknown) => void)({ type: 'start', dataDir: 42 })
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(messages.map((m) => m.type)).toEqual(['ready'])
  })
})

describe('tray admin calls', () => {
  it('reads the event count and pauses capture: tracking calls get 503 + Retry-After until resumed', async () => {
    const { first } = await startHost(tempDir())
    const target = { baseUrl: (first as EngineReadyMessage).baseUrl, token: (first as EngineReadyMessage).token }
    const track = () =>
      fetch(`${target.baseUrl}/v1/track`, { method: 'POST', body: JSON.stringify({ writeKey: 'wk_tray', userId: 'u', event: 'Tray Test' }) })

    expect((await fetchStats(target)).events.total).toBe(0)
    expect(await setCapturePaused(target, true)).toEqual({ paused: true })
    const refused = await track()
    expect(refused.status).toBe(503)
    expect(refused.headers.get('retry-after')).toMatch(/^\d+$/)
    expect((await fetchStats(target)).capture.paused).toBe(true)

    expect(await setCapturePaused(target, false)).toEqual({ paused: false })
    expect((await track()).status).toBe(200)
    expect((await fetchStats(target)).events.total).toBe(1)
  })

  it('fails loudly with a wrong token', async () => {
    const { first } = await startHost(tempDir())
    await expect(fetchStats({ baseUrl: (first as EngineReadyMessage).baseUrl, token: 'wrong' })).rejects.toMatchObject({ status: 401 })
  })
})
