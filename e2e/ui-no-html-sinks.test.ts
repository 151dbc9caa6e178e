// A static guard for the renderer: event data is attacker-controlled and the CSP forbids eval, so no
// renderer source may use an HTML sink or build code from strings. (Tests may: they check that
// generated snippets are valid JavaScript.)

import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { expect, it } from 'vitest'

const SINKS = /dangerouslySetInnerHTML|\.innerHTML|\.outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function\(/

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sources(path)
    return /\.tsx?$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : []
  })
}

it('has no HTML sinks and no eval in src-renderer', () => {
  const files = sources(join(process.cwd(), 'src-renderer'))
  expect(files.length).toBeGreaterThan(20)
  const offenders = files.filter((file) => SINKS.test(readFileSync(file, 'utf8')))
  expect(offenders).toEqual([])
})
