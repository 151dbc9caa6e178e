import { describe, expect, it } from 'vitest'
import { sha256Hex } from './id-hash'

describe('sha256Hex', () => {
  it('hashes like the engine (hex SHA-256 of the UTF-8 text)', async () => {
    expect(await sha256Hex('user-1')).toBe('c6c289e49e9c05b2145860387b73bcb18df43fb09a1e4a4a9713c76c88bb541b')
    expect(await sha256Hex('ünïcødé 🙂')).toBe('7f35b0084cec1ead910b6656ec5f51bd5482bf3f516af21851fd39a1f159a88d')
  })
})
