// `loupe serve` runs out/main/cli.js when it exists (bin/loupe.js). Benchmark the current sources:
// build when that file is missing or older than a source file it is built from.

import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'

export function ensureBuilt(root: string): void {
  const cli = join(root, 'out', 'main', 'cli.js')
  const reason = existsSync(cli) ? newerSource(root, statSync(cli).mtimeMs) : 'out/main/cli.js is missing'
  if (reason === null) return
  process.stdout.write(`Building the engine (${reason}): npx electron-vite build\n`)
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: ['ignore', 'inherit', 'inherit'] })
  if (build.status !== 0 || !existsSync(cli)) throw new Error(`npx electron-vite build failed (exit ${build.status ?? build.signal})`)
}

function newerSource(root: string, builtAt: number): string | null {
  for (const dir of ['src-main', 'src-shared']) {
    for (const file of walk(join(root, dir))) {
      if (/\.tsx?$/.test(file) && !file.endsWith('.test.ts') && statSync(file).mtimeMs > builtAt) {
        return `${file.slice(root.length + 1)} is newer than out/main/cli.js`
      }
    }
  }
  return null
}

function* walk(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* walk(path)
    else yield path
  }
}
