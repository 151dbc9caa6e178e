// Expectations files (`loupe assert <file>`): every expectation checked in one call, all waiting in parallel
// up to the file's timeout, with a readable report of what was expected, what was found and what came close.

import type { AssertResult, ExpectationsFile, ExpectationsResult } from '../../../src-shared/qa'
import type { Asserter } from './assert'
import { DEFAULT_LIMIT, invalid, objectAt, parseCount, parseDuration, parseMatcher, type ParsedAssert } from './parse-request'
import type { Waiters } from './wait-for'

export const MAX_EXPECTATIONS = 200

interface ParsedExpectation {
  name: string | null
  assert: ParsedAssert
}

export function parseExpectations(body: unknown): { run: string | null; timeoutMs: number; expectations: ParsedExpectation[] } {
  const file = objectAt(body, 'body') as Partial<ExpectationsFile> & Record<string, unknown>
  for (const key of Object.keys(file)) if (!['run', 'timeout', 'expect'].includes(key)) invalid(key, 'unknown field; expected run, timeout or expect')
  if (file.run !== undefined && (typeof file.run !== 'string' || file.run === '' || file.run.length > 100)) invalid('run', 'must be a run id (a non-empty string of at most 100 characters)')
  const timeoutMs = parseDuration(file.timeout, 'timeout') ?? 0
  if (!Array.isArray(file.expect) || file.expect.length === 0 || file.expect.length > MAX_EXPECTATIONS) {
    invalid('expect', `must be a list of 1 to ${MAX_EXPECTATIONS} expectations, each { name?, match, count? }`)
  }
  const expectations = file.expect.map((raw, i): ParsedExpectation => {
    const field = `expect[${i}]`
    const item = objectAt(raw, field)
    for (const key of Object.keys(item)) if (!['name', 'match', 'count'].includes(key)) invalid(`${field}.${key}`, 'unknown field; expected name, match or count')
    if (item.name !== undefined && (typeof item.name !== 'string' || item.name.length > 200)) invalid(`${field}.name`, 'must be a string of at most 200 characters')
    if (item.match === undefined) invalid(`${field}.match`, 'is required')
    const matcher = parseMatcher(item.match, `${field}.match`)
    if (matcher.runId === undefined && file.run !== undefined) matcher.runId = file.run
    return { name: (item.name as string | undefined) ?? null, assert: { matcher, count: parseCount(item.count, `${field}.count`), timeoutMs, limit: DEFAULT_LIMIT } }
  })
  return { run: file.run ?? null, timeoutMs, expectations }
}

export async function checkExpectations(body: unknown, asserter: Asserter, waiters: Waiters, signal?: AbortSignal): Promise<ExpectationsResult> {
  const file = parseExpectations(body)
  const release = file.timeoutMs > 0 ? waiters.reserve(file.expectations.length) : () => {}
  // One expectation failing (e.g. a matcher too broad) ends the others' waits too, before their slots are
  // given back: no waiter outlives its reservation.
  const stop = new AbortController()
  const linked = signal ? AbortSignal.any([signal, stop.signal]) : stop.signal
  const runs = file.expectations.map(async (e) => {
    const result = await asserter.run(e.assert, { signal: linked, reserved: true })
    return { name: e.name ?? result.expected, passed: result.matched, result }
  })
  try {
    const results = await Promise.all(runs)
    const passed = results.every((r) => r.passed)
    return { passed, results, report: report(results, file.run) }
  } catch (error) {
    stop.abort()
    await Promise.allSettled(runs)
    throw error
  } finally {
    release()
  }
}

/** Plain text, one block per expectation: ✓/✗, expected vs found, and for failures the near misses. */
export function report(results: { name: string; passed: boolean; result: AssertResult }[], run: string | null): string {
  const lines: string[] = []
  for (const { name, passed, result } of results) {
    lines.push(`${passed ? '✓' : '✗'} ${name}`)
    if (name !== result.expected) lines.push(`    expected: ${result.expected}`)
    lines.push(`    found:    ${result.count} matching event${result.count === 1 ? '' : 's'}`)
    if (passed) continue
    if (result.nearMisses.length > 0) {
      lines.push('    closest events:')
      for (const miss of result.nearMisses) {
        const e = miss.event
        lines.push(`      event ${e.id} (${e.type}${e.name !== null ? ` ${JSON.stringify(e.name)}` : ''}, received ${e.receivedAt}):`)
        for (const difference of miss.differences) lines.push(`        - ${difference}`)
      }
    } else if (result.count === 0) lines.push('    no similar events in scope')
    else lines.push(`    matching events: ${result.events.map((e) => e.id).join(', ')}${result.count > result.events.length ? ', …' : ''}`)
  }
  const failed = results.filter((r) => !r.passed).length
  lines.push('')
  lines.push(`${results.length - failed} of ${results.length} expectations passed${run ? ` (run ${run})` : ''}${failed > 0 ? `, ${failed} failed` : ''}`)
  return lines.join('\n')
}
