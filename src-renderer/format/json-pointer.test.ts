import { describe, expect, it } from 'vitest'
import { isInside, missingUnder, pointerOf, pointerSegments } from './json-pointer'

describe('JSON pointers', () => {
  it('round-trips paths with the escapes of RFC 6901', () => {
    expect(pointerOf(['properties', 'items', 0, 'sku'])).toBe('/properties/items/0/sku')
    expect(pointerOf(['properties', 'a/b', 'c~d'])).toBe('/properties/a~1b/c~0d')
    expect(pointerSegments('/properties/a~1b/c~0d')).toEqual(['properties', 'a/b', 'c~d'])
    expect(pointerSegments('')).toEqual([])
    expect(pointerOf([])).toBe('')
  })

  it('knows what lies inside a container, and not a sibling with a longer name', () => {
    expect(isInside('/properties', '/properties/total')).toBe(true)
    expect(isInside('/properties', '/properties')).toBe(false)
    expect(isInside('/prop', '/properties/total')).toBe(false)
    expect(isInside('', '/properties')).toBe(true)
  })

  it('names the fields a container lacks, once per key', () => {
    const missing = missingUnder('/properties', new Set(['total']), ['/properties/total', '/properties/currency', '/properties/address/city', '/properties/address/zip', '/traits/email'])
    expect(missing).toEqual([
      { key: 'currency', rest: 'currency', pointers: ['/properties/currency'] },
      { key: 'address', rest: 'address/city', pointers: ['/properties/address/city', '/properties/address/zip'] }
    ])
    expect(missingUnder('', new Set(['type']), ['/traits/email'])).toEqual([{ key: 'traits', rest: 'traits/email', pointers: ['/traits/email'] }])
  })
})
