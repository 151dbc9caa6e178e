import { describe, expect, it } from 'vitest'
import { shortHash } from './id-hash'

describe('shortHash', () => {
  it('keeps the first 12 characters of a hash, enough to tell entries apart', () => {
    expect(shortHash('c6c289e49e9c05b2145860387b73bcb18df43fb09a1e4a4a9713c76c88bb541b')).toBe('c6c289e49e9c…')
  })
})
