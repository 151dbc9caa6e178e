import { describe, expect, it } from 'vitest'
import { normalise, plainHash, sha256 } from './hash'

describe('normalise', () => {
  it('hashes an e-mail as platforms match it: trimmed, lower-cased, without a display name', () => {
    expect(normalise('email', '  Ada@Example.com ')).toBe('ada@example.com')
    expect(normalise('email', 'Ada Lovelace <Ada@Example.com>')).toBe('ada@example.com')
    expect(plainHash('email', '"Lovelace, Ada" <ada@example.com>')).toBe(sha256('ada@example.com'))
    // Not a display-name form: kept as sent.
    expect(normalise('email', 'a <b> c@d.e')).toBe('a <b> c@d.e')
  })

  it('hashes a phone as + and digits, cards and IBANs however they were grouped', () => {
    expect(normalise('phone', '+44 (0)7911 123-456')).toBe('+4407911123456')
    expect(normalise('credit_card', '4242 4242-4242 4242')).toBe('4242424242424242')
    expect(normalise('iban', 'de89 3704 0044 0532 0130 00')).toBe('DE89370400440532013000')
  })
})
