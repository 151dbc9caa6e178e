// `loupe serve` as users run it: a child process, real signals, real ports.

import { existsSync, readFileSync } from 'node:fs'
import { createServer } from 'node:net'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { spawnServe, startServe } from './support/serve-process'
import { useTempDirs } from '../src-main/engine/test-temp-dirs'

const tempDir = useTempDirs('loupe-cli-')

describe('loupe serve', () => {
  it('prints the start-up block, serves, and shuts down cleanly on SIGTERM', async () => {
    const dataDir = tempDir()
    const serve = await startServe(dataDir)
    const out = serve.stdout()
    const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
    expect(out).toContain(`Tracking API   ${serve.baseUrl}/v1`)
    expect(out).toContain(`${serve.baseUrl}/login?token=${token}`)
    expect(out).toContain(`Data dir       ${dataDir}`)
    expect(out).toMatch(/Database +[\d.]+ (B|KB|MB), 0 events/)

    const res = await fetch(`${serve.baseUrl}/v1/track`, { method: 'POST', body: JSON.stringify({ writeKey: 'wk_cli', userId: 'u', event: 'E' }) })
    expect(res.status).toBe(200)

    serve.child.kill('SIGTERM')
    expect(await serve.exited).toBe(0)
    expect(serve.stdout()).toContain('Stopped.')
    // Checkpointed and closed: the data dir is one database file at rest, and the lock is gone.
    expect(existsSync(join(dataDir, 'loupe.db-wal'))).toBe(false)
    expect(existsSync(join(dataDir, 'loupe.lock'))).toBe(false)

    const again = await startServe(dataDir)
    expect(again.stdout()).toMatch(/, 1 events/)
    again.child.kill('SIGINT')
    expect(await again.exited).toBe(0)
  })

  it('stops gracefully on a signal sent the moment the start-up block appears', async () => {
    // Scripts signal as soon as they read the banner; the handlers must already be in place.
    const proc = spawnServe(['--port', '0', '--data-dir', tempDir()])
    let signalled = false
    proc.child.stdout!.on('data', () => {
      if (!signalled && proc.stdout().includes('Press Ctrl+C')) {
        signalled = true
        proc.child.kill('SIGINT')
      }
    })
    expect(await proc.exited).toBe(0)
    expect(proc.stdout()).toContain('Stopped.')
  })

  it('names the port and how to pick another when it is taken', async () => {
    const blocker = createServer()
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve))
    const port = (blocker.address() as { port: number }).port
    try {
      const dataDir = tempDir()
      const proc = spawnServe(['--port', String(port), '--data-dir', dataDir])
      expect(await proc.exited).toBe(1)
      expect(proc.stderr()).toContain(`Port ${port} on 127.0.0.1 is already in use`)
      expect(proc.stderr()).toContain('--port')
      expect(existsSync(join(dataDir, 'loupe.lock'))).toBe(false)
    } finally {
      blocker.close()
    }
  })

  it('refuses a second engine on the same data dir', async () => {
    const dataDir = tempDir()
    const first = await startServe(dataDir)
    try {
      const second = spawnServe(['--port', '0', '--data-dir', dataDir])
      expect(await second.exited).toBe(1)
      expect(second.stderr()).toContain(`Another Loupe (pid ${first.child.pid}`)
    } finally {
      first.child.kill('SIGTERM')
      await first.exited
    }
  })

  it('rejects bad flags with exit code 2', async () => {
    const bad = spawnServe(['--port', 'http', '--data-dir', tempDir()])
    expect(await bad.exited).toBe(2)
    expect(bad.stderr()).toContain('--port must be a whole number')
    const unknown = spawnServe(['--frobnicate'])
    expect(await unknown.exited).toBe(2)
    expect(unknown.stderr()).toContain('unknown option --frobnicate')
    const help = spawnServe(['--help'])
    expect(await help.exited).toBe(0)
    expect(help.stdout()).toContain('--strict-keys')
  })
})
