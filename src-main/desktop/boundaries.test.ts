// DESIGN.md: nothing in the engine imports electron (it runs under plain Node for `loupe serve`), and
// the utility-process side of the desktop needs none either.

import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'

const SRC = join(import.meta.dirname, '..')
const importsElectron = (file: string): boolean => /(from\s+|import\s*\(\s*|require\s*\(\s*)['"]electron['"]/.test(readFileSync(file, 'utf8'))

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && /\.ts$/.test(entry.name) && !/\.test\.ts$/.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
}

describe('module boundaries', () => {
  it('the engine never imports electron', () => {
    const offenders = sources(join(SRC, 'engine')).filter(importsElectron)
    expect(offenders).toEqual([])
  })

  it('the engine host (utility process) and the supervisor do not either', () => {
    for (const file of ['engine-host.ts', 'run-engine-host.ts', 'engine-supervisor.ts', 'engine-protocol.ts', 'external-url.ts', 'window-state.ts']) {
      expect(importsElectron(join(SRC, 'desktop', file)), file).toBe(false)
    }
  })
})
