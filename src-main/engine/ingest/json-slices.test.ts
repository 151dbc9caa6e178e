import { describe, expect, it } from 'vitest'
import { batchSlices, wholeSlice } from './json-slices'

const texts = (text: string) => batchSlices(text)!.map((s) => text.slice(s.start, s.end))

describe('batchSlices', () => {
  it('finds each message of a batch exactly as sent', () => {
    const text = ' { "writeKey":"k", "batch" : [ {"a":1} , {"b":"x,]}\\"y"},{"c":[1,[2]]}\n] , "sentAt":"t" } '
    expect(texts(text)).toEqual(['{"a":1}', '{"b":"x,]}\\"y"}', '{"c":[1,[2]]}'])
    expect(batchSlices(text)!.map((s) => s.depth)).toEqual([1, 1, 3])
  })

  it('agrees with JSON.parse on every element', () => {
    const batch = [{ s: 'quote " and \\ backslash' }, { n: null, t: true, f: 1.5e3 }, 'str', 42, [], { deep: { er: [{}] } }]
    const text = JSON.stringify({ context: { batch: [1] }, batch, integrations: {} })
    expect(texts(text).map((t) => JSON.parse(t))).toEqual(batch)
  })

  it('takes the last of duplicate batch keys, escaped or not, like JSON.parse', () => {
    const text = '{"batch":[{"first":1}],"ba\\u0074ch":[{"second":2}]}'
    expect(JSON.parse(text).batch).toEqual([{ second: 2 }])
    expect(texts(text)).toEqual(['{"second":2}'])
  })

  it('returns null without a batch array', () => {
    expect(batchSlices('{"batch":{"a":1}}')).toBeNull()
    expect(batchSlices('[1]')).toBeNull()
    expect(batchSlices('{}')).toBeNull()
  })

  it('handles an empty batch and strings ending in backslashes', () => {
    expect(texts('{"batch":[]}')).toEqual([])
    expect(texts('{"batch":["a\\\\",{"k":"\\\\\\""}]}')).toEqual(['"a\\\\"', '{"k":"\\\\\\""}'])
  })
})

describe('wholeSlice', () => {
  it('trims whitespace and measures depth', () => {
    const text = '\n {"a":{"b":[1]}} \t'
    const slice = wholeSlice(text)
    expect(text.slice(slice.start, slice.end)).toBe('{"a":{"b":[1]}}')
    expect(slice.depth).toBe(3)
  })
})
