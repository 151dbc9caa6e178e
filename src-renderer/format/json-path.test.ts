import { describe, expect, it } from 'vitest'
import { copyableValue, formatPath } from './json-path'

describe('formatPath', () => {
  it.each([
    [['properties', 'sku'], 'properties.sku'],
    [['properties', 'items', 0, 'sku'], 'properties.items[0].sku'],
    [['context', 'user-agent'], 'context["user-agent"]'],
    [['traits', 'first name'], 'traits["first name"]'],
    [['a"b'], '["a\\"b"]'],
    [['$set', '_x1'], '$set._x1']
  ] as const)('%j → %s', (path, text) => expect(formatPath(path)).toBe(text))
})

describe('copyableValue', () => {
  it('copies strings raw and everything else as JSON', () => {
    expect(copyableValue('<b>hi</b>')).toBe('<b>hi</b>')
    expect(copyableValue(9.99)).toBe('9.99')
    expect(copyableValue(null)).toBe('null')
    expect(copyableValue({ a: [1] })).toBe('{\n  "a": [\n    1\n  ]\n}')
  })
})
