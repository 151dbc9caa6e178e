// `loupe assert` as CI runs it: a child process against a real `loupe serve`, judged by exit code and output.

import { Analytics } from '@segment/analytics-node'
import { spawn } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createLoupe, startLoupe, type LoupeClient, type StartedLoupe } from '../testing/index'
import { useTempDirs } from '../src-main/engine/test-temp-dirs'
import { LOUPE_BIN } from './support/serve-process'

const tempDir = useTempDirs('loupe-assert-e2e-')
let server: StartedLoupe
let loupe: LoupeClient

beforeAll(async () => {
  server = await startLoupe()
  loupe = createLoupe(server)
})
afterAll(async () => {
  await server?.stop()
})

function loupeAssert(args: string[], env: Record<string, string> = {}): Promise<{ code: number | string; stdout: string; stderr: string }> {
  // LOUPE_BIN: the launcher under test (bin/loupe.js by default, which runs the build)
  const child = spawn(process.execPath, [process.env.LOUPE_BIN || LOUPE_BIN, 'assert', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? signal ?? -1, stdout, stderr })))
}

function expectations(name: string, text: string): string {
  const path = join(tempDir(), name)
  writeFileSync(path, text)
  return path
}

async function sendOrder(writeKey: string, total: number): Promise<void> {
  const analytics = new Analytics({ writeKey, host: server.url, flushAt: 20, flushInterval: 50, maxRetries: 3 })
  analytics.track({ userId: 'ci-user', event: 'Order Completed', properties: { total, currency: 'EUR' } })
  analytics.identify({ userId: 'ci-user', traits: { plan: 'pro' } })
  await analytics.closeAndFlush()
}

describe('loupe assert', () => {
  it('exits 0 and prints the report when every expectation holds', async () => {
    const run = await loupe.startRun('cli pass')
    await sendOrder(run.writeKey, 10)
    const file = expectations(
      'pass.yaml',
      [
        'expect:',
        '  - name: checkout',
        '    match:',
        '      type: track',
        '      event: Order Completed',
        '      where:',
        '        - { path: properties.total, equals: 10 }',
        '        - { path: properties.currency, matches: "^EU" }',
        '    count: 1',
        '  - name: identify',
        '    match: { type: identify, userId: ci-user }',
        ''
      ].join('\n')
    )
    const result = await loupeAssert([file, '--data-dir', server.dataDir, '--run', run.id])
    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    expect(result.stdout).toContain('checkout')
    await run.endRun()
  })

  it('exits 1 with the near misses when one property is wrong', async () => {
    const run = await loupe.startRun('cli fail')
    await sendOrder(run.writeKey, 12)
    const file = expectations('fail.json', JSON.stringify({ run: run.id, expect: [{ name: 'checkout', match: { event: 'Order Completed', where: [{ path: 'properties.total', equals: 10 }] }, count: 1 }] }))
    const result = await loupeAssert([file, '--url', server.url, '--token', server.token])
    expect(result.code).toBe(1)
    expect(result.stdout).toContain('checkout')
    expect(result.stdout).toContain('properties.total')
    expect(result.stdout).toContain('12')
    await run.endRun()
  })

  it('waits up to --timeout for an event that arrives late', async () => {
    const run = await loupe.startRun('cli wait')
    const file = expectations('late.yaml', 'expect:\n  - match: { event: Order Completed }\n')
    const checking = loupeAssert([file, '--run', run.id, '--timeout', '30s'], { LOUPE_URL: server.url, LOUPE_TOKEN: server.token })
    await sendOrder(run.writeKey, 10)
    expect((await checking).code).toBe(0)
    await run.endRun()
  })

  it('exits 2 with a clear message when it cannot check', async () => {
    const file = expectations('ok.yaml', 'expect:\n  - match: { event: X }\n')
    const noEngine = await loupeAssert([file, '--data-dir', tempDir()])
    expect(noEngine.code).toBe(2)
    expect(noEngine.stderr).toContain('no running Loupe found')

    const badToken = await loupeAssert([file, '--url', server.url, '--token', 'not-the-token'])
    expect(badToken.code).toBe(2)
    expect(badToken.stderr).toContain('refused the admin token (401)')

    const badMatcher = await loupeAssert([expectations('bad.yaml', 'expect:\n  - match: { type: tarck }\n'), '--data-dir', server.dataDir])
    expect(badMatcher.code).toBe(2)
    expect(badMatcher.stderr).toContain('expect[0].match.type')
  })
})
