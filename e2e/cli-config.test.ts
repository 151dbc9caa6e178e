// Config as code, export-config, backup and restore through the real `loupe` CLI (the TypeScript sources
// run through tsx, so the test does not depend on a fresh build), as CI scripts run them.

import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { parse as parseYaml } from 'yaml'
import { useTempDirs } from '../src-main/engine/test-temp-dirs'

const tempDir = useTempDirs('loupe-cli-config-')
const ROOT = join(import.meta.dirname, '..')
// What bin/loupe.js does without a build, but always from the sources (a stale out/ would test old code).
const runnerDir = mkdtempSync(join(tmpdir(), 'loupe-cli-runner-'))
const RUNNER = join(runnerDir, 'loupe.mjs')
writeFileSync(RUNNER, `const m = await import(${JSON.stringify(join(ROOT, 'src-main', 'cli.ts'))}); process.exit(await m.main(process.argv.slice(2)))\n`)
afterAll(() => rmSync(runnerDir, { recursive: true, force: true }))

interface Proc {
  child: ChildProcess
  stdout(): string
  stderr(): string
  exited: Promise<number | string>
}

function loupe(args: string[], env: Record<string, string> = {}): Proc {
  const child = spawn(process.execPath, ['--import', 'tsx', RUNNER, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, LOUPE_DATA_DIR: '', LOUPE_CONFIG: '', ...env }
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()))
  child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()))
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)))
  return { child, stdout: () => out, stderr: () => err, exited }
}

async function run(args: string[], env: Record<string, string> = {}): Promise<{ code: number | string; out: string; err: string }> {
  const proc = loupe(args, env)
  const code = await proc.exited
  return { code, out: proc.stdout(), err: proc.stderr() }
}

interface Serving extends Proc {
  baseUrl: string
  token: string
  stop(): Promise<void>
}

async function serve(dataDir: string, extra: string[] = [], env: Record<string, string> = {}): Promise<Serving> {
  const proc = loupe(['serve', '--port', '0', '--data-dir', dataDir, ...extra], env)
  for (;;) {
    const exited = await Promise.race([proc.exited, new Promise((resolve) => setTimeout(resolve, 50, null))])
    if (exited !== null) throw new Error(`loupe serve exited with ${String(exited)}: ${proc.stderr()}`)
    if (proc.stdout().includes('Press Ctrl+C')) break
  }
  const baseUrl = (JSON.parse(readFileSync(join(dataDir, 'loupe.lock'), 'utf8')) as { url: string }).url
  const token = readFileSync(join(dataDir, 'admin-token'), 'utf8').trim()
  return {
    ...proc,
    baseUrl,
    token,
    async stop() {
      proc.child.kill('SIGTERM')
      expect(await proc.exited).toBe(0)
    }
  }
}

async function adminJson(s: Serving, path: string): Promise<any> {
  return (await fetch(`${s.baseUrl}${path}`, { headers: { authorization: `Bearer ${s.token}` } })).json()
}

async function track(s: Serving, writeKey: string, messageId: string): Promise<void> {
  const res = await fetch(`${s.baseUrl}/v1/track`, { method: 'POST', body: JSON.stringify({ writeKey, userId: 'u1', event: 'Order Completed', messageId }) })
  expect(res.status).toBe(200)
}

const CONFIG = `# CI setup
sources:
  - name: Storefront
    writeKey: wk_storefront
destinations:
  - name: Audit hook
    kind: webhook
    sourceNames: [Storefront]
    settings:
      url: http://127.0.0.1:9/audit
      signingSecret: \${AUDIT_SECRET}
trackingPlans:
  - name: Orders
    sourceNames: [Storefront]
    rules:
      - type: TRACK
        key: Order Completed
        jsonSchema: { type: object, properties: { properties: { type: object, required: [total], properties: { total: { type: number } } } } }
`

describe('loupe serve --config', () => {
  it('refuses a bad file with exit code 2, naming the field, before touching the data dir', async () => {
    const dir = tempDir()
    const file = join(dir, 'loupe.config.yaml')
    writeFileSync(file, CONFIG.replace('http://127.0.0.1:9/audit', 'not a url'))
    const dataDir = join(dir, 'data')
    const bad = await run(['serve', '--port', '0', '--data-dir', dataDir, '--config', file], { AUDIT_SECRET: 'x' })
    expect(bad.code).toBe(2)
    expect(bad.err).toContain(`loupe serve: ${file}: destinations[0].settings.url must be an http(s) URL`)
    expect(existsSync(join(dataDir, 'loupe.db'))).toBe(false)

    writeFileSync(file, CONFIG)
    const missing = await run(['serve', '--port', '0', '--data-dir', dataDir, '--config', file])
    expect(missing.code).toBe(2)
    expect(missing.err).toContain('destinations[0].settings.signingSecret: the environment variable AUDIT_SECRET is not set')

    writeFileSync(file, CONFIG.replace('jsonSchema: { type: object,', 'jsonSchema: { type: objekt,'))
    const badPlan = await run(['serve', '--port', '0', '--data-dir', dataDir, '--config', file], { AUDIT_SECRET: 'x' })
    expect(badPlan.code).toBe(2)
    expect(badPlan.err).toContain(`loupe serve: ${file}: trackingPlans[0].rules[0].jsonSchema: `)
    expect(existsSync(join(dataDir, 'loupe.db'))).toBe(false)
  })

  it('brings up the same sources and destinations on a fresh data dir, and exports them back', async () => {
    const dir = tempDir()
    const file = join(dir, 'loupe.config.yaml')
    writeFileSync(file, CONFIG)
    const dataDir = join(dir, 'data')
    const secret = 'audit-secret-0123456789'
    const s = await serve(dataDir, [], { LOUPE_CONFIG: file, AUDIT_SECRET: secret })
    let online: string
    try {
      expect(s.stderr()).toContain(`Config file ${file}: 1 sources (1 created), 1 destinations (1 created), 1 tracking plans (1 created).`)
      expect((await adminJson(s, '/api/plans')).plans).toMatchObject([{ name: 'Orders', version: 1, sourceIds: [1] }])
      expect((await adminJson(s, '/api/sources')).sources).toMatchObject([{ name: 'Storefront', writeKey: 'wk_storefront' }])
      expect((await adminJson(s, '/api/destinations')).destinations).toMatchObject([{ name: 'Audit hook', kind: 'webhook', sourceIds: [1] }])

      // While it runs, export-config asks the engine.
      const exported = await run(['export-config', '--data-dir', dataDir])
      expect(exported.code).toBe(0)
      online = exported.out
      expect(online).not.toContain(secret)
      expect(exported.err).toContain('LOUPE_SECRET_AUDIT_HOOK_SIGNING_SECRET')
    } finally {
      await s.stop()
    }

    // Stopped: export-config reads the data dir itself.
    const out = join(dir, 'exported.json')
    const offline = await run(['export-config', '--data-dir', dataDir, '--out', out])
    expect(offline.code).toBe(0)
    const doc = JSON.parse(readFileSync(out, 'utf8'))
    expect(doc).toEqual({ ...parseYaml(online), $comment: expect.stringContaining('LOUPE_SECRET_AUDIT_HOOK_SIGNING_SECRET') })
    expect(doc.destinations[0].settings.signingSecret).toBe('${LOUPE_SECRET_AUDIT_HOOK_SIGNING_SECRET}')
    expect(doc.trackingPlans).toMatchObject([{ name: 'Orders', sourceNames: ['Storefront'], rules: [{ type: 'TRACK', key: 'Order Completed' }] }])

    // The export, loaded into a fresh data dir, gives the same setup; starting again with it changes nothing.
    const fresh = join(dir, 'fresh')
    const env = { LOUPE_SECRET_AUDIT_HOOK_SIGNING_SECRET: secret }
    for (const expected of ['1 sources (1 created), 1 destinations (1 created), 1 tracking plans (1 created)', '1 sources, 1 destinations, 1 tracking plans.']) {
      const t = await serve(fresh, ['--config', out], env)
      try {
        expect(t.stderr()).toContain(expected)
        expect((await adminJson(t, '/api/sources')).sources).toMatchObject([{ name: 'Storefront', writeKey: 'wk_storefront' }])
        const [hook] = (await adminJson(t, '/api/destinations')).destinations
        expect(hook).toMatchObject({ name: 'Audit hook', kind: 'webhook', enabled: true, sourceIds: [1], settings: { url: 'http://127.0.0.1:9/audit', signingSecret: `••••${secret.slice(-4)}` } })
        expect((await adminJson(t, '/api/plans')).plans).toMatchObject([{ name: 'Orders', version: 1, sourceIds: [1] }])
      } finally {
        await t.stop()
      }
    }
  })
})

describe('loupe backup / restore', () => {
  it('backs up a running engine, restores into another data dir, and refuses to restore under a running engine', async () => {
    const dir = tempDir()
    const dataDir = join(dir, 'data')
    const s = await serve(dataDir)
    const backup = join(dir, 'loupe-backup.db')
    let events: unknown[]
    try {
      for (let i = 0; i < 5; i++) await track(s, 'wk_ci', `msg-${i}`)
      const made = await run(['backup', backup, '--data-dir', dataDir])
      expect(made.code).toBe(0)
      expect(made.out).toContain(`(from the running Loupe, ${s.baseUrl}) to ${backup}`)
      events = (await adminJson(s, '/api/events')).events.map((e: { messageId: string }) => e.messageId)

      const refused = await run(['restore', backup, '--data-dir', dataDir])
      expect(refused.code).toBe(1)
      expect(refused.err).toContain(`loupe restore: a Loupe (pid ${s.child.pid}, ${s.baseUrl}) is running on ${dataDir}. Stop it first`)
      expect(readdirSync(dataDir).filter((f) => f.includes('before-restore'))).toEqual([])
      expect((await run(['backup', backup, '--data-dir', dataDir])).err).toContain('already exists')
    } finally {
      await s.stop()
    }

    // Stopped: the backup is taken from the file itself.
    const offline = await run(['backup', join(dir, 'offline.db'), '--data-dir', dataDir])
    expect(offline.code).toBe(0)

    const other = join(dir, 'other')
    const first = await serve(other)
    await track(first, 'wk_other', 'other-1')
    await first.stop()
    const restored = await run(['restore', backup, '--data-dir', other])
    expect(restored.code).toBe(0)
    expect(restored.out).toMatch(/The database it replaced is kept as .*loupe\.db\.before-restore-/)
    const t = await serve(other)
    try {
      expect((await adminJson(t, '/api/events')).events.map((e: { messageId: string }) => e.messageId)).toEqual(events)
      expect((await adminJson(t, '/api/sources')).sources.map((x: { writeKey: string }) => x.writeKey)).toEqual(['wk_ci'])
    } finally {
      await t.stop()
    }

    // Onto a new machine: the data dir is made.
    const brandNew = join(dir, 'brand-new')
    expect((await run(['restore', backup, '--data-dir', brandNew])).code).toBe(0)
    expect(readdirSync(brandNew)).toEqual(['loupe.db'])

    const notLoupe = join(dir, 'junk.db')
    writeFileSync(notLoupe, 'junk')
    const junk = await run(['restore', notLoupe, '--data-dir', other])
    expect(junk.code).toBe(1)
    expect(junk.err).toContain('is not a SQLite database')
  })
})
