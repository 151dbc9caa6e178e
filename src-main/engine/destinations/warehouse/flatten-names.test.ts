// flatten.ts names each (prefix, key) once and keeps the names in a bounded cache: past the bound, with
// thousands of distinct (hostile) keys, every column is still named exactly as the first time.

import { describe, expect, it } from 'vitest'
import { flattenEvent, keptNames } from './flatten'

const LOADED = '2024-05-01T12:00:05.000Z'
const columnsOf = (properties: Record<string, unknown>): string[] =>
  Object.keys(flattenEvent({ type: 'track', messageId: 'm', event: 'E', properties }, LOADED)[1]!.values)

describe('flatten column names', () => {
  it('names the same keys the same way before and after the name cache fills and empties', () => {
    const known = { fooBar: 1, nested: { innerKey: { deepKey: 'x' } }, 'select': 2, '1st': 3 }
    const before = columnsOf(known)
    expect(before).toEqual(expect.arrayContaining(['foo_bar', 'nested_inner_key_deep_key', '_select', '_1st']))
    // 45,000 distinct names under nested prefixes: more than the cache holds, emptied at least twice.
    for (let i = 0; i < 25; i++) {
      const properties: Record<string, unknown> = {}
      for (let j = 0; j < 900; j++) properties[`k${i}_${j}`] = { [`deep${j}`]: j }
      const columns = columnsOf(properties)
      expect(columns).toContain(`k${i}_899_deep899`)
    }
    expect(columnsOf(known)).toEqual(before)
  })

  it('does not keep the names of long (hostile) paths, and still names them', () => {
    const long = 'x'.repeat(30_000)
    const kept = keptNames()
    const columns = columnsOf({ [long]: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`a${i}`, i])) })
    expect(columns.filter((c) => c.length <= 63)).toHaveLength(columns.length)
    expect(columns.filter((c) => c.startsWith('xxxx'))).toHaveLength(300)
    expect(new Set(columns).size).toBe(columns.length)
    // At most the event's own short names (type, event …) were added; none of the 300 long ones.
    expect(keptNames() - kept).toBeLessThan(300)
    expect(keptNames()).toBeLessThan(kept + 50)
  })
})
