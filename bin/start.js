#!/usr/bin/env node
// `npm start`: the desktop app where Electron can run here, otherwise `loupe serve` (the UI in a
// browser) with one line saying why there is no window.
//
// The desktop app needs two things npm does not install (DESIGN.md "Install"):
//  1. Electron's binary. npm runs no electron postinstall (allowScripts), so the first start runs
//     Electron's own installer, node_modules/electron/install.js (it downloads from GitHub).
//  2. better-sqlite3 compiled for Electron's ABI. node_modules keeps the Node build (tests, headless);
//     the Electron build goes to .electron-native/better-sqlite3 (git-ignored), compiled once by
//     node-gyp against Electron's headers (downloaded from electronjs.org), and handed to the engine
//     with better-sqlite3's `nativeBinding` option. No @electron/rebuild: see DESIGN.md.
// Both need the internet once. Offline, the installer fails and Loupe runs headless.
//
// The decision (planStart) takes its probes as arguments, so it is tested without Electron.

import { spawn, spawnSync } from 'node:child_process'
import { closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs'
import { join, relative, sep } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

export const ROOT = fileURLToPath(new URL('..', import.meta.url))
export const NATIVE_DIR = '.electron-native'
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers'

/** The Electron executable node_modules/electron would run (same rules as its index.js), or null. */
export function findElectronBinary(electronDir, env = process.env) {
  let executable
  try {
    executable = readFileSync(join(electronDir, 'path.txt'), 'utf8').trim()
  } catch {
    return null
  }
  if (!executable) return null
  const file = env.ELECTRON_OVERRIDE_DIST_PATH ? join(env.ELECTRON_OVERRIDE_DIST_PATH, executable) : join(electronDir, 'dist', executable)
  return existsSync(file) ? file : null
}

/** Runs Electron's own installer; returns a one-line summary of why it did not work, or null. */
export function runElectronInstaller(electronDir, run = spawnSync) {
  if (process.env.ELECTRON_SKIP_BINARY_DOWNLOAD) return 'ELECTRON_SKIP_BINARY_DOWNLOAD is set'
  const result = run(process.execPath, [join(electronDir, 'install.js')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 10 * 60_000 })
  if (result.error) return result.error.message
  return result.status === 0 ? null : firstErrorLine(`${result.stderr ?? ''}\n${result.stdout ?? ''}`) ?? `installer exited with code ${result.status}`
}

/** The first line of an error dump that is not a stack frame, shortened for a one-line message. */
export function firstErrorLine(text) {
  const line = text.split('\n').map((l) => l.trim()).find((l) => l !== '' && !l.startsWith('at '))
  return line ? shorten(line, 160) : null
}

/** Electron on Linux needs an X11 or Wayland display; without one (SSH, CI, a container) it cannot start. */
export function hasDisplay(env = process.env, platform = process.platform) {
  return platform !== 'linux' || Boolean(env.DISPLAY || env.WAYLAND_DISPLAY)
}

/**
 * The decision. `probe` supplies: forceHeadless, findBinary(), runInstaller() → failure summary or null,
 * hasDisplay(), ensureNative() → { ok: true, binding } | { ok: false, reason }.
 * Returns { mode: 'desktop', binary, nativeBinding } or { mode: 'headless', reason }.
 */
export function planStart(probe) {
  if (probe.forceHeadless) return { mode: 'headless', reason: 'you asked for --headless' }
  let binary = probe.findBinary()
  if (!binary) {
    const failure = probe.runInstaller()
    binary = probe.findBinary()
    if (!binary) return { mode: 'headless', reason: `Electron's binary is not installed and its installer failed (${failure ?? 'no binary after it ran'})` }
  }
  if (!probe.hasDisplay()) return { mode: 'headless', reason: 'there is no display ($DISPLAY and $WAYLAND_DISPLAY are not set)' }
  const native = probe.ensureNative()
  if (!native.ok) return { mode: 'headless', reason: `better-sqlite3 could not be built for Electron (${native.reason})` }
  return { mode: 'desktop', binary, nativeBinding: native.binding }
}

/**
 * The environment for node-gyp: npm hands scripts `npm_config_nodedir` (this machine's global npmrc
 * sets it to /usr), which would make node-gyp compile against Node's headers and "succeed" with a
 * module Electron cannot load. So npm's build settings are dropped; the target comes from the flags.
 */
export function electronGypEnv(env) {
  const clean = { ...env }
  for (const key of Object.keys(clean)) {
    if (/^npm_config_(nodedir|target|arch|runtime|disturl|dist_url|build_from_source)$/i.test(key)) delete clean[key]
  }
  return clean
}

/** node-gyp: npm's own copy when started by npm (it says where), else `npx node-gyp`. */
export function nodeGypCommand(env = process.env, platform = process.platform) {
  if (env.npm_config_node_gyp && existsSync(env.npm_config_node_gyp)) return { command: process.execPath, args: [env.npm_config_node_gyp] }
  return { command: platform === 'win32' ? 'npx.cmd' : 'npx', args: ['--yes', 'node-gyp'] }
}

/** True if the module loads in this Node: then it was built for Node's ABI, not Electron's. */
export function loadsInNode(binding, run = spawnSync) {
  return run(process.execPath, ['-e', `process.dlopen({ exports: {} }, ${JSON.stringify(binding)})`], { stdio: 'ignore' }).status === 0
}

/**
 * Makes sure .electron-native/better-sqlite3 holds a build for this Electron and better-sqlite3
 * (a stamp file records both), compiling it in a copy of node_modules/better-sqlite3 if not.
 */
export function ensureElectronNative({ root = ROOT, electronVersion, env = process.env, arch = process.arch, platform = process.platform, run = spawnSync, log = console.log, verify = loadsInNode }) {
  const source = join(root, 'node_modules', 'better-sqlite3')
  let sqliteVersion
  try {
    sqliteVersion = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).version
  } catch {
    return { ok: false, reason: 'node_modules/better-sqlite3 is missing; run npm install' }
  }
  const nativeRoot = join(root, NATIVE_DIR)
  const dir = join(nativeRoot, 'better-sqlite3')
  const binding = join(dir, 'build', 'Release', 'better_sqlite3.node')
  const stampFile = join(dir, 'loupe-build.json')
  const stamp = JSON.stringify({ electron: electronVersion, betterSqlite3: sqliteVersion, platform, arch })
  if (existsSync(binding) && readText(stampFile) === stamp) return { ok: true, binding }

  log(`Building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} into ${NATIVE_DIR}/ (first desktop start, about 2 minutes)…`)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(nativeRoot, { recursive: true })
  writeFileSync(join(nativeRoot, '.gitignore'), '# Built by `npm start` (bin/start.js) for Electron\'s ABI.\n*\n')
  cpSync(source, dir, { recursive: true, filter: (path) => relative(source, path).split(sep)[0] !== 'build' })
  const gyp = nodeGypCommand(env, platform)
  const logFile = join(nativeRoot, 'build.log')
  const fd = openSync(logFile, 'w')
  let result
  try {
    result = run(gyp.command, [...gyp.args, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--dist-url=${ELECTRON_HEADERS_URL}`], {
      cwd: dir,
      env: electronGypEnv(env),
      stdio: ['ignore', fd, fd],
      shell: platform === 'win32'
    })
  } finally {
    closeSync(fd)
  }
  if (result.error || result.status !== 0 || !existsSync(binding)) {
    const detail = result.error?.message ?? gypFailureSummary(readText(logFile) ?? '') ?? `node-gyp exited with code ${result.status}`
    return { ok: false, reason: `${detail}; full log in ${relative(root, logFile)}` }
  }
  if (verify(binding)) return { ok: false, reason: `node-gyp built it for Node, not Electron (check npm's nodedir setting); log in ${relative(root, logFile)}` }
  writeFileSync(stampFile, stamp)
  return { ok: true, binding }
}

function readText(file) {
  try {
    return readFileSync(file, 'utf8')
  } catch {
    return null
  }
}

/** node-gyp's error in one line: its "gyp ERR! stack" message (e.g. "…related to network connectivity"). */
export function gypFailureSummary(log) {
  const message = []
  for (const line of log.split('\n')) {
    const stack = /^gyp ERR! stack (.*)$/.exec(line.trim())
    if (!stack) {
      if (message.length > 0) break
      continue
    }
    if (stack[1].trim().startsWith('at ')) break
    message.push(stack[1].trim())
  }
  if (message.length > 0) return shorten(message.join(' '), 200)
  const line = log.split('\n').find((l) => /ERR!|Error/.test(l))
  return line ? shorten(line.trim(), 200) : null
}

function shorten(text, max) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text
}

/** Builds out/ (main, preload, renderer) when the file needed is not there yet. */
export function ensureBuilt(file, root = ROOT) {
  if (existsSync(join(root, file))) return
  console.log(`No build at ${file}; building with electron-vite…`)
  const result = spawnSync(process.platform === 'win32' ? 'npx.cmd' : 'npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit', shell: process.platform === 'win32' })
  if (result.status !== 0 || !existsSync(join(root, file))) throw new Error(`the build failed (npx electron-vite build, exit code ${result.status})`)
}

async function runHeadless(args) {
  ensureBuilt(join('out', 'main', 'cli.js'))
  const cli = await import(pathToFileURL(join(ROOT, 'out', 'main', 'cli.js')).href)
  return cli.main(['serve', ...args])
}

function runDesktop(binary, nativeBinding, args) {
  ensureBuilt(join('out', 'main', 'index.js'))
  const env = { ...process.env, LOUPE_NATIVE_BINDING: nativeBinding }
  delete env.ELECTRON_RUN_AS_NODE // it would turn Electron into plain Node
  // `electron <root>` reads package.json "main" (out/main/index.js), as the packaged app will.
  const child = spawn(binary, [ROOT, ...args], { stdio: 'inherit', env })
  // Ctrl+C reaches Electron directly (same process group) and it quits gracefully; just wait for it.
  process.on('SIGINT', () => {})
  process.on('SIGTERM', () => child.kill('SIGTERM'))
  return new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))))
}

export async function main(argv) {
  const forceHeadless = argv.includes('--headless')
  const args = argv.filter((a) => a !== '--headless')
  const electronDir = join(ROOT, 'node_modules', 'electron')
  const electronPackage = readText(join(electronDir, 'package.json'))
  const electronVersion = electronPackage ? JSON.parse(electronPackage).version : null
  const plan = electronVersion === null
    ? { mode: 'headless', reason: 'the electron package is not installed (npm install)' }
    : planStart({
        forceHeadless,
        findBinary: () => findElectronBinary(electronDir),
        runInstaller: () => {
          console.log(`Electron ${electronVersion}'s binary is not installed; running its installer (node node_modules/electron/install.js)…`)
          return runElectronInstaller(electronDir)
        },
        hasDisplay: () => hasDisplay(),
        ensureNative: () => ensureElectronNative({ electronVersion })
      })
  if (plan.mode === 'desktop') return runDesktop(plan.binary, plan.nativeBinding, args)
  console.log(`Loupe: no desktop window — ${plan.reason}. Running headless instead: open the "Admin / UI" URL below in a browser.`)
  return runHeadless(args)
}

function invokedDirectly() {
  try {
    return process.argv[1] !== undefined && pathToFileURL(realpathSync(process.argv[1])).href === import.meta.url
  } catch {
    return false
  }
}

if (invokedDirectly()) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error) => {
      console.error(`loupe: ${error instanceof Error ? error.message : String(error)}`)
      process.exit(1)
    }
  )
}
