// Where a worker thread's code is: next to the built bundle (out/main/<name>.js), or, running from the
// TypeScript sources (tests, `loupe` without a build), the .ts entry behind a bootstrap that registers tsx.

import { existsSync } from 'node:fs'

/** `tsEntry`: the entry's URL among the sources; `built`: its bundle's name (electron.vite.config.ts input). */
export function workerEntry(tsEntry: URL, built: string): { file: URL; tsEntry?: string } {
  const here = import.meta.url
  if (/\.ts$/.test(new URL(here).pathname)) return { file: new URL('./store/worker-bootstrap.mjs', here), tsEntry: tsEntry.href }
  for (const candidate of [`./${built}.js`, `../${built}.js`]) {
    const file = new URL(candidate, here)
    if (existsSync(file)) return { file }
  }
  throw new Error(`${built}.js not found next to ${here}; rebuild with npm run build`)
}
