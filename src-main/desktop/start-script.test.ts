// bin/start.js (`npm start`): its decision and its helpers, without Electron. The script is plain
// JavaScript (it runs before any build), so it is imported dynamically with the shape declared here.

import { spawn, type SpawnSyncReturns } from 'node:child_process'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { describe, expect, it, vi } from 'vitest'
import { useTempDirs } from '../engine/test-temp-dirs'

type Plan = { mode: 'desktop'; binary: string; nativeBinding: string } | { mode: 'headless'; reason: string }
type NativeResult = { ok: true; binding: string } | { ok: false; reason: string }
type Run = (command: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv }) => Partial<SpawnSyncReturns<string>>
interface StartModule {
  planStart(probe: {
    forceHeadless?: boolean
    findBinary(): string | null
    runInstaller(): string | null
    hasDisplay(): boolean
    ensureNative(): NativeResult
  }): Plan
  findElectronBinary(electronDir: string, env?: NodeJS.ProcessEnv): string | null
  runElectronInstaller(electronDir: string, run: Run): string | null
  hasDisplay(env: NodeJS.ProcessEnv, platform: string): boolean
  electronGypEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv
  nodeGypCommand(env: NodeJS.ProcessEnv, platform: string): { command: string; args: string[] }
  loadsInNode(binding: string): boolean
  gypFailureSummary(log: string): string | null
  ensureElectronNative(options: { root: string; electronVersion: string; env?: NodeJS.ProcessEnv; run: Run; log?: (m: string) => void; verify?: (b: string) => boolean }): NativeResult
}

const ROOT = join(import.meta.dirname, '..', '..')
const START = join(ROOT, 'bin', 'start.js')
const start = (await import(pathToFileURL(START).href)) as StartModule

const tempDir = useTempDirs('loupe-start-')

describe('planStart', () => {
  const probe = (over: Partial<Parameters<StartModule['planStart']>[0]> = {}) => ({
    findBinary: vi.fn(() => '/electron' as string | null),
    runInstaller: vi.fn(() => null as string | null),
    hasDisplay: vi.fn(() => true),
    ensureNative: vi.fn((): NativeResult => ({ ok: true, binding: '/b.node' })),
    ...over
  })

  it('starts the desktop app when Electron, a display and the native build are there', () => {
    const p = probe()
    expect(start.planStart(p)).toEqual({ mode: 'desktop', binary: '/electron', nativeBinding: '/b.node' })
    expect(p.runInstaller).not.toHaveBeenCalled()
  })

  it("runs Electron's installer when the binary is missing, and uses what it installed", () => {
    const p = probe({ findBinary: vi.fn<() => string | null>().mockReturnValueOnce(null).mockReturnValue('/electron') })
    expect(start.planStart(p)).toMatchObject({ mode: 'desktop' })
    expect(p.runInstaller).toHaveBeenCalledOnce()
  })

  it('goes headless, saying why, when the installer fails (offline)', () => {
    const p = probe({ findBinary: vi.fn(() => null), runInstaller: vi.fn(() => 'RequestError: getaddrinfo ENOTFOUND github.com') })
    const plan = start.planStart(p)
    expect(plan).toEqual({
      mode: 'headless',
      reason: "Electron's binary is not installed and its installer failed (RequestError: getaddrinfo ENOTFOUND github.com)"
    })
    expect(p.ensureNative).not.toHaveBeenCalled()
  })

  it('goes headless without a display, before compiling anything', () => {
    const p = probe({ hasDisplay: vi.fn(() => false) })
    expect(start.planStart(p)).toMatchObject({ mode: 'headless', reason: expect.stringContaining('no display') })
    expect(p.ensureNative).not.toHaveBeenCalled()
  })

  it('goes headless when better-sqlite3 cannot be built for Electron', () => {
    const p = probe({ ensureNative: vi.fn((): NativeResult => ({ ok: false, reason: 'gyp ERR! network' })) })
    expect(start.planStart(p)).toEqual({ mode: 'headless', reason: 'better-sqlite3 could not be built for Electron (gyp ERR! network)' })
  })

  it('honours --headless without touching Electron', () => {
    const p = probe({ forceHeadless: true })
    expect(start.planStart(p)).toMatchObject({ mode: 'headless' })
    expect(p.findBinary).not.toHaveBeenCalled()
  })
})

describe('finding and installing Electron', () => {
  it("finds the binary the way electron's index.js does", () => {
    const dir = tempDir()
    expect(start.findElectronBinary(dir, {})).toBeNull()
    writeFileSync(join(dir, 'path.txt'), 'electron')
    expect(start.findElectronBinary(dir, {})).toBeNull() // path.txt without dist/ = a half-finished install
    mkdirSync(join(dir, 'dist'))
    writeFileSync(join(dir, 'dist', 'electron'), '')
    expect(start.findElectronBinary(dir, {})).toBe(join(dir, 'dist', 'electron'))
    expect(start.findElectronBinary(dir, { ELECTRON_OVERRIDE_DIST_PATH: tempDir() })).toBeNull()
  })

  it("summarizes the installer's failure in one line", () => {
    const run: Run = () => ({ status: 1, stdout: '', stderr: 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (x.js:1:1)\n' })
    expect(start.runElectronInstaller('/e', run)).toBe('RequestError: getaddrinfo ENOTFOUND github.com')
    expect(start.runElectronInstaller('/e', () => ({ status: 0, stdout: '', stderr: '' }))).toBeNull()
  })

  it('knows when Linux has no display', () => {
    expect(start.hasDisplay({}, 'linux')).toBe(false)
    expect(start.hasDisplay({ DISPLAY: ':0' }, 'linux')).toBe(true)
    expect(start.hasDisplay({ WAYLAND_DISPLAY: 'wayland-0' }, 'linux')).toBe(true)
    expect(start.hasDisplay({}, 'darwin')).toBe(true)
  })
})

describe('the Electron-ABI better-sqlite3', () => {
  function fakeCheckout(version = '12.11.1'): string {
    const root = tempDir()
    const pkg = join(root, 'node_modules', 'better-sqlite3')
    mkdirSync(join(pkg, 'src'), { recursive: true })
    mkdirSync(join(pkg, 'build', 'Release'), { recursive: true })
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'better-sqlite3', version }))
    writeFileSync(join(pkg, 'binding.gyp'), '{}')
    writeFileSync(join(pkg, 'src', 'better_sqlite3.cpp'), '')
    writeFileSync(join(pkg, 'build', 'Release', 'better_sqlite3.node'), 'the Node build')
    return root
  }
  const gypSucceeds: Run = (_command, _args, options) => {
    const out = join(options.cwd!, 'build', 'Release', 'better_sqlite3.node')
    mkdirSync(dirname(out), { recursive: true })
    writeFileSync(out, 'the Electron build')
    return { status: 0 }
  }

  it('compiles a copy with node-gyp against Electron headers, without npm\'s nodedir, once', () => {
    const root = fakeCheckout()
    const run = vi.fn(gypSucceeds)
    const env = { PATH: process.env.PATH, npm_config_nodedir: '/usr', NPM_CONFIG_TARGET: '20.0.0', npm_config_node_gyp: '/nonexistent/node-gyp.js' }
    const result = start.ensureElectronNative({ root, electronVersion: '41.7.1', env, run, log: () => {}, verify: () => false })
    const binding = join(root, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    expect(result).toEqual({ ok: true, binding })
    expect(readFileSync(binding, 'utf8')).toBe('the Electron build')
    expect(readFileSync(join(root, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe('the Node build')
    const [, args, options] = run.mock.calls[0]!
    expect(args).toEqual(expect.arrayContaining(['rebuild', '--target=41.7.1', '--dist-url=https://electronjs.org/headers', `--arch=${process.arch}`]))
    expect(options.cwd).toBe(join(root, '.electron-native', 'better-sqlite3'))
    expect(options.env).not.toHaveProperty('npm_config_nodedir')
    expect(options.env).not.toHaveProperty('NPM_CONFIG_TARGET')
    expect(options.env!.PATH).toBe(process.env.PATH)
    expect(readFileSync(join(root, '.electron-native', '.gitignore'), 'utf8')).toMatch(/^\*$/m)

    expect(start.ensureElectronNative({ root, electronVersion: '41.7.1', env, run, log: () => {}, verify: () => false })).toEqual({ ok: true, binding })
    expect(run).toHaveBeenCalledOnce()
    start.ensureElectronNative({ root, electronVersion: '41.8.0', env, run, log: () => {}, verify: () => false })
    expect(run).toHaveBeenCalledTimes(2) // a new Electron needs a new build
  })

  it('reports a failed compile (offline: no headers) with the log location', () => {
    const root = fakeCheckout()
    const run: Run = () => ({ status: 1 })
    const result = start.ensureElectronNative({ root, electronVersion: '41.7.1', run, log: () => {}, verify: () => false })
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining(join('.electron-native', 'build.log')) })
  })

  it('refuses a "successful" build that is really for Node', () => {
    const root = fakeCheckout()
    const result = start.ensureElectronNative({ root, electronVersion: '41.7.1', run: gypSucceeds, log: () => {}, verify: () => true })
    expect(result).toMatchObject({ ok: false, reason: expect.stringContaining('for Node, not Electron') })
  })

  it("summarizes node-gyp's failure from its log", () => {
    const log = [
      'gyp http GET https://electronjs.org/headers/v41.7.1/node-v41.7.1-headers.tar.gz',
      'gyp ERR! configure error ',
      'gyp ERR! stack Error: This is most likely not a problem with node-gyp or the package itself and',
      'gyp ERR! stack is related to network connectivity.',
      'gyp ERR! stack at go (/usr/lib/node_modules/npm/node_modules/node-gyp/lib/install.js:244:21)',
      'gyp ERR! not ok '
    ].join('\n')
    expect(start.gypFailureSummary(log)).toBe('Error: This is most likely not a problem with node-gyp or the package itself and is related to network connectivity.')
    expect(start.gypFailureSummary('gyp info ok\ngyp ERR! not ok')).toBe('gyp ERR! not ok')
    expect(start.gypFailureSummary('')).toBeNull()
  })

  it('tells a Node build from an Electron one by loading it', () => {
    const nodeBuild = join(ROOT, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node')
    expect(start.loadsInNode(nodeBuild)).toBe(true)
    const fake = join(tempDir(), 'fake.node')
    writeFileSync(fake, 'not a module')
    expect(start.loadsInNode(fake)).toBe(false)
  })

  it('uses npm\'s own node-gyp when npm says where it is', () => {
    const gyp = join(tempDir(), 'node-gyp.js')
    writeFileSync(gyp, '')
    expect(start.nodeGypCommand({ npm_config_node_gyp: gyp }, 'linux')).toEqual({ command: process.execPath, args: [gyp] })
    expect(start.nodeGypCommand({}, 'linux')).toEqual({ command: 'npx', args: ['--yes', 'node-gyp'] })
  })
})

describe('npm start without Electron', () => {
  it('runs `loupe serve` and prints one line saying why there is no window', async () => {
    expect(existsSync(join(ROOT, 'out', 'main', 'cli.js')), 'run `npm run build` first').toBe(true)
    const dataDir = tempDir()
    const env = { ...process.env, LOUPE_DATA_DIR: dataDir, ELECTRON_SKIP_BINARY_DOWNLOAD: '1', ELECTRON_OVERRIDE_DIST_PATH: tempDir() }
    const child = spawn(process.execPath, [START, '--port', '0'], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)))
    await vi.waitFor(() => expect(out).toContain('Press Ctrl+C'), { timeout: 30_000, interval: 50 })
    const why = out.split('\n').filter((line) => line.startsWith('Loupe: no desktop window'))
    expect(why).toEqual([
      'Loupe: no desktop window — Electron\'s binary is not installed and its installer failed (ELECTRON_SKIP_BINARY_DOWNLOAD is set). Running headless instead: open the "Admin / UI" URL below in a browser.'
    ])
    expect(out).toMatch(/Admin \/ UI +http:\/\/127\.0\.0\.1:\d+\/login\?token=/)
    child.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(out).toContain('Stopped.')
  })
})
