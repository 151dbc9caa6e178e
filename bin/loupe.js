#!/usr/bin/env node
// Runs the built CLI (out/main/cli.js, made by `npm run build`); in a checkout without a build, runs
// the TypeScript sources through tsx.
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../out/main/cli.js', import.meta.url)
let cli
if (existsSync(fileURLToPath(built))) {
  cli = await import(built.href)
} else {
  const { register } = await import('tsx/esm/api')
  register()
  cli = await import(new URL('../src-main/cli.ts', import.meta.url).href)
}
process.exit(await cli.main(process.argv.slice(2)))
