// After `tsc -p testing/tsconfig.json`: the shared contract (src-shared) imports without file extensions, as the
// bundled app does; Node's ESM loader and TypeScript's node16/nodenext resolution need `./api.js`. This adds
// the extension to every extensionless relative import of the emitted files, so loupe/testing's types resolve
// in a consumer project whatever its moduleResolution.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

const out = join(import.meta.dirname, '..', 'out')
const specifier = /(\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)(['"])(\.\.?\/[^'"]*?)\2/g

for (const dir of ['src-shared', 'testing']) {
  for (const name of readdirSync(join(out, dir))) {
    if (!name.endsWith('.js') && !name.endsWith('.d.ts')) continue
    const file = join(out, dir, name)
    const text = readFileSync(file, 'utf8')
    const fixed = text.replace(specifier, (all, lead, quote, path) => (/\.[cm]?js$/.test(path) ? all : `${lead}${quote}${path}.js${quote}`))
    if (fixed !== text) writeFileSync(file, fixed)
  }
}
