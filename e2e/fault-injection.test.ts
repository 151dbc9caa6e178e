// Fault injection end to end: the real @segment/analytics-node client, unchanged, against injected 503s,
// 429s and dropped connections — its retries deliver each event exactly once. And `loupe serve
// --ephemeral` through the real CLI (TypeScript sources via tsx, as e2e/cli-config.test.ts does).

import { Analytics } from '@segment/analytics-node'
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { FaultRule, FaultsState } from '../src-shared/faults'
import { startTestEngine, type TestEngine, readJson } from '../src-main/engine/test-engine'
import { launchChromium } from './support/browser-site'
import { expectCleanConsole, openUi, screenshot } from './support/ui-session'

let t: TestEngine

beforeAll(async () => {
  t = await startTestEngine()
})
afterAll(async () => {
  await t.stop()
})

async function sourceWithRule(writeKey: string, rule: Record<string, unknown>): Promise<{ sourceId: number; rule: FaultRule }> {
  const json = { 'content-type': 'application/json' }
  const source = await readJson(await t.admin('/api/sources', { method: 'POST', headers: json, body: JSON.stringify({ name: writeKey, writeKey }) }))
  const res = await t.admin('/api/faults', { method: 'POST', headers: json, body: JSON.stringify({ sourceId: source.id, ...rule }) })
  expect(res.status).toBe(201)
  return { sourceId: source.id, rule: await readJson(res) }
}

async function storedCount(messageId: string): Promise<number> {
  return (await t.get(`/api/events?messageId=${encodeURIComponent(messageId)}`)).events.length
}

/** Sends one track call and waits until the client gave up or succeeded; returns the delivery errors. */
async function trackOnce(writeKey: string, messageId: string): Promise<unknown[]> {
  // flushAt 1: every call is its own request, so each injected failure hits exactly this event.
  const analytics = new Analytics({ writeKey, host: t.baseUrl, flushAt: 1, flushInterval: 50, maxRetries: 3 })
  const errors: unknown[] = []
  analytics.on('error', (error) => errors.push(error))
  analytics.track({ userId: 'u1', event: 'Order Completed', properties: { total: 42 }, messageId })
  await analytics.closeAndFlush({ timeout: 30_000 })
  return errors
}

describe('fault injection with @segment/analytics-node', () => {
  it('two injected 503s: the client retries and the event is stored exactly once', async () => {
    const { sourceId, rule } = await sourceWithRule('wk_fault_node_503', { kind: '503', count: 2 })
    expect(await trackOnce('wk_fault_node_503', 'node-503-1')).toEqual([])
    expect(await storedCount('node-503-1')).toBe(1)
    const state = (await t.get(`/api/faults?sourceId=${sourceId}`)) as FaultsState
    expect(state.rules[0]).toMatchObject({ id: rule.id, injected: 2 })
    expect(state.recent.map((r) => r.messageIds)).toEqual([['node-503-1'], ['node-503-1']])
  }, 40_000)

  it('a dropped connection makes the client retry too', async () => {
    const { sourceId } = await sourceWithRule('wk_fault_node_drop', { kind: 'drop', count: 1 })
    expect(await trackOnce('wk_fault_node_drop', 'node-drop-1')).toEqual([])
    expect(await storedCount('node-drop-1')).toBe(1)
    expect(((await t.get(`/api/faults?sourceId=${sourceId}`)) as FaultsState).rules[0]!.injected).toBe(1)
  }, 40_000)

  it('a 429 with Retry-After: the client waits, retries, and the event is stored once', async () => {
    const { sourceId } = await sourceWithRule('wk_fault_node_429', { kind: '429', retryAfterSeconds: 1, count: 1 })
    expect(await trackOnce('wk_fault_node_429', 'node-429-1')).toEqual([])
    expect(await storedCount('node-429-1')).toBe(1)
    expect(((await t.get(`/api/faults?sourceId=${sourceId}`)) as FaultsState).rules[0]!.injected).toBe(1)
  }, 40_000)

  it('without retries left the client reports the failure and nothing is stored', async () => {
    await sourceWithRule('wk_fault_node_always', { kind: '500' })
    const analytics = new Analytics({ writeKey: 'wk_fault_node_always', host: t.baseUrl, flushAt: 1, flushInterval: 50, maxRetries: 0 })
    const errors: unknown[] = []
    analytics.on('error', (error) => errors.push(error))
    analytics.track({ userId: 'u1', event: 'Lost', messageId: 'node-500-lost' })
    await analytics.closeAndFlush({ timeout: 30_000 })
    expect(errors).toHaveLength(1)
    expect(await storedCount('node-500-lost')).toBe(0)
  }, 40_000)
})

describe('the Fault injection panel of the Sources screen (built renderer: npx electron-vite build)', () => {
  it('adds a rule, shows its injected count and the last failures, refuses bad input with the engine\'s message', async () => {
    await t.admin('/api/sources', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'Checkout QA', writeKey: 'wk_fault_ui' }) })
    const browser = await launchChromium()
    const ui = await openUi(browser, t, '/sources')
    try {
      const card = ui.page.getByRole('article', { name: 'Source Checkout QA' })
      await card.getByRole('button', { name: 'Fault injection' }).click()

      await card.getByRole('combobox', { name: 'Fault' }).selectOption('delay')
      await card.getByRole('spinbutton', { name: 'Delay milliseconds' }).fill('999999')
      await card.getByRole('button', { name: 'Add rule' }).click()
      expect(await card.getByRole('alert').innerText()).toContain('delayMs must be a whole number from 1 to 60000')

      await card.getByRole('combobox', { name: 'Fault' }).selectOption('429')
      await card.getByRole('spinbutton', { name: 'Retry-After seconds' }).fill('3')
      await card.getByRole('spinbutton', { name: 'Stop after count' }).fill('2')
      await card.getByRole('button', { name: 'Add rule' }).click()
      const table = card.getByRole('table', { name: 'Fault rules' })
      await table.waitFor()
      expect(await table.innerText()).toContain('429, Retry-After 3 s')

      const res = await t.track('/v1/batch', { batch: [{ type: 'track', event: 'E', userId: 'u', messageId: 'ui-fault-1' }] }, 'wk_fault_ui')
      expect(res.status).toBe(429)
      const recent = card.getByRole('list', { name: 'Last injected failures' })
      await recent.waitFor()
      expect(await recent.innerText()).toContain('ui-fault-1')
      expect(await table.innerText()).toContain('1 / 2')
      await screenshot(ui.page, 'fault-injection-panel')

      await card.getByRole('checkbox', { name: /enabled/ }).uncheck()
      const sourceId = ((await t.get('/api/sources')).sources as { id: number; writeKey: string }[]).find((s) => s.writeKey === 'wk_fault_ui')!.id
      await expect.poll(async () => ((await t.get(`/api/faults?sourceId=${sourceId}`)) as FaultsState).rules[0]!.enabled).toBe(false)
      expect((await t.track('/v1/track', { event: 'E', userId: 'u' }, 'wk_fault_ui')).status).toBe(200)
      await expectCleanConsole(ui.watch, [/status of 400/]) // the refused delay, on purpose
    } finally {
      await ui.close()
      await browser.close()
    }
  }, 60_000)
})

describe('loupe serve --ephemeral', () => {
  const ROOT = join(import.meta.dirname, '..')
  const runnerDir = mkdtempSync(join(tmpdir(), 'loupe-ephemeral-runner-'))
  const RUNNER = join(runnerDir, 'loupe.mjs')
  writeFileSync(RUNNER, `const m = await import(${JSON.stringify(join(ROOT, 'src-main', 'cli.ts'))}); process.exit(await m.main(process.argv.slice(2)))\n`)
  afterAll(() => rmSync(runnerDir, { recursive: true, force: true }))

  function loupe(args: string[]) {
    const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, LOUPE_DATA_DIR: '', LOUPE_CONFIG: '' }
    })
    let out = ''
    let err = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()))
    const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
    return { child, out: () => out, err: () => err, exited }
  }

  it('runs on a fresh private temp dir, says so, and deletes it after SIGTERM', async () => {
    const proc = loupe(['serve', '--ephemeral', '--port', '0'])
    while (!proc.out().includes('Press Ctrl+C')) {
      const exited = await Promise.race([proc.exited, new Promise((resolve) => setTimeout(resolve, 50, null))])
      if (exited !== null) throw new Error(`loupe serve exited with ${String(exited)}: ${proc.err()}`)
    }
    const line = /Data dir\s+(\S+) \(ephemeral: deleted when Loupe stops\)/.exec(proc.out())
    expect(line, proc.out()).not.toBeNull()
    const dataDir = line![1]!
    expect(statSync(dataDir).mode & 0o777).toBe(0o700)

    // It is a working Loupe: an event is accepted and stored there.
    const baseUrl = (JSON.parse(readFileSync(join(dataDir, 'loupe.lock'), 'utf8')) as { url: string }).url
    const res = await fetch(`${baseUrl}/v1/track`, { method: 'POST', body: JSON.stringify({ writeKey: 'wk_ephemeral', userId: 'u1', event: 'E' }) })
    expect(res.status).toBe(200)
    expect(existsSync(join(dataDir, 'loupe.db'))).toBe(true)

    proc.child.kill('SIGTERM')
    expect(await proc.exited).toBe(0)
    expect(existsSync(dataDir)).toBe(false)
  }, 60_000)

  it('refuses --ephemeral together with --data-dir', async () => {
    const proc = loupe(['serve', '--ephemeral', '--data-dir', join(runnerDir, 'data')])
    expect(await proc.exited).toBe(2)
    expect(proc.err()).toContain('--ephemeral')
    expect(existsSync(join(runnerDir, 'data'))).toBe(false)
  }, 30_000)
})
