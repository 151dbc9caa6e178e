// The detector's walk, custom matchers and bounds (the matchers' own precision is corpus.test.ts's job).

import { describe, expect, it } from 'vitest'
import type { CustomMatcher } from '../../../src-shared/privacy'
import { compileDetector, CustomMatcherError, DETECTION_LIMITS } from './detect'
import { normaliseKey } from './keys'

const plain = compileDetector({ custom: [] })

function custom(target: 'key' | 'value', pattern: string, name = 'Loyalty id'): CustomMatcher {
  return { id: `custom:${name.toLowerCase().replace(/\W+/g, '_')}`, name, target, pattern, classification: 'red' }
}

describe('normaliseKey', () => {
  it('reads keys as words whatever their spelling', () => {
    expect(normaliseKey('user_email').words).toEqual(['user', 'email'])
    expect(normaliseKey('emailAddress').words).toEqual(['email', 'address'])
    expect(normaliseKey('E-Mail').compact).toBe('email')
    expect(normaliseKey('EMAIL').compact).toBe('email')
    expect(normaliseKey('IPAddress').words).toEqual(['ip', 'address'])
    expect(normaliseKey('address.line 2').words).toEqual(['address', 'line'])
    expect(normaliseKey('email_sha256').words).toEqual(['email', 'sha'])
  })
})

describe('compileDetector', () => {
  it('walks properties, traits, context and context.traits, with RFC 6901 pointers', () => {
    const found = plain.detect({
      type: 'identify',
      userId: 'ada@example.com',
      anonymousId: '+14155550123',
      traits: { email: 'ada@example.com', 'a/b~c': 'grace@example.com', nested: { list: [{ phone: '+447911123456' }] } },
      properties: { contact: 'bob@example.com' },
      context: { ip: '203.0.113.9', traits: { name: 'Ada Lovelace' } },
      integrations: { Webhook: { email: 'x@example.com' } }
    })
    expect(found.map((d) => [d.pointer, d.matcher])).toEqual([
      ['/properties/contact', 'email'],
      ['/traits/email', 'email'],
      ['/traits/a~1b~0c', 'email'],
      ['/traits/nested/list/0/phone', 'phone'],
      ['/context/ip', 'ip_address'],
      ['/context/traits/name', 'person_name']
    ])
  })

  it('reads `name` as a person only at the top of a user\'s traits', () => {
    expect(plain.detect({ type: 'identify', traits: { name: 'Ada Lovelace' } })).toHaveLength(1)
    expect(plain.detect({ type: 'group', traits: { name: 'Acme Inc' } })).toEqual([])
    expect(plain.detect({ type: 'track', properties: { name: 'Ada Lovelace' } })).toEqual([])
    expect(plain.detect({ type: 'identify', traits: { company: { name: 'Acme Inc' } } })).toEqual([])
  })

  it('ignores booleans, nulls, empty strings and non-object roots', () => {
    expect(plain.detect({ type: 'identify', traits: { email: null, phone: false, password: '' } })).toEqual([])
    expect(plain.detect({ type: 'track', properties: 'alice@example.com', traits: ['alice@example.com'], context: 5 })).toEqual([])
  })

  it('reports each field once, red before yellow', () => {
    const found = plain.detect({ type: 'identify', traits: { password: 'alice@example.com', token: '+14155550123' } })
    expect(found.map((d) => d.matcher)).toEqual(['password', 'secret'])
  })

  it('stops at 100 findings per message', () => {
    const properties = Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`field${i}`, `user${i}@example.com`]))
    const found = plain.detect({ type: 'track', properties })
    expect(found).toHaveLength(DETECTION_LIMITS.maxFindings)
    expect(found[99]!.pointer).toBe('/properties/field99')
    // Says it stopped short; a whole scan (delivery) finds every one.
    expect(plain.check({ type: 'track', properties }, 'ingest').complete).toBe(false)
    expect(plain.check({ type: 'track', properties }, 'whole')).toMatchObject({ complete: true, found: { length: 300 } })
    expect(plain.check({ type: 'track', properties: { a: 'a@example.com' } }, 'ingest').complete).toBe(true)
  })

  it('does not descend past 10 pointer segments', () => {
    const deep = (levels: number): Record<string, unknown> => {
      let node: Record<string, unknown> = { email: 'deep@example.com' }
      for (let i = 0; i < levels; i++) node = { a: node }
      return node
    }
    // /properties + 8 × /a + /email = 10 segments: found; one more level: not visited.
    expect(plain.detect({ type: 'track', properties: deep(8) })[0]?.pointer).toBe('/properties' + '/a'.repeat(8) + '/email')
    expect(plain.detect({ type: 'track', properties: deep(9) })).toEqual([])
    expect(plain.check({ type: 'track', properties: deep(8) }, 'ingest').complete).toBe(true)
    expect(plain.check({ type: 'track', properties: deep(9) }, 'ingest')).toEqual({ found: [], complete: false })
    expect(plain.check({ type: 'track', properties: deep(40) }, 'whole').found.map((f) => f.matcher)).toEqual(['email'])
  })

  it('judges strings over 10 KB by their key, and reads them only for addresses inside the text', () => {
    const big = 'alice@example.com' + ' '.repeat(DETECTION_LIMITS.maxValueLength)
    expect(plain.detect({ type: 'track', properties: { note: 'x'.repeat(DETECTION_LIMITS.maxValueLength - 20) + '@example.com' } })).toEqual([])
    expect(plain.detect({ type: 'track', properties: { blob: big } }).map((d) => d.matcher)).toEqual(['email_in_text'])
    expect(plain.detect({ type: 'track', properties: { notes: 'lorem ipsum '.repeat(1_000) + 'contact ada@example.com' } }).map((d) => d.matcher)).toEqual(['email_in_text'])
    expect(plain.detect({ type: 'track', properties: { card: '4242 4242 4242 4242 '.repeat(600) } })).toEqual([])
    // Under a key with rules of its own (phone) that do not take it: still read for an address.
    expect(plain.detect({ type: 'identify', traits: { phone: 'call me '.repeat(1_500) + 'or mail ada@example.com' } }).map((d) => d.matcher)).toEqual(['email_in_text'])
    const found = plain.detect({ type: 'track', properties: { password: big } })
    expect(found.map((d) => [d.matcher, d.sample])).toEqual([['password', '•••']])
  })

  it('copes with hostile keys: huge ones (read by their tail) and __proto__', () => {
    const huge = 'a_'.repeat(50_000) + 'email'
    const properties = JSON.parse(`{"__proto__": {"email": "p@example.com"}, "${huge}": "h@localhost"}`) as Record<string, unknown>
    const found = plain.detect({ type: 'track', properties })
    expect(found.map((d) => d.pointer.slice(0, 30))).toEqual(['/properties/__proto__/email', '/properties/' + 'a_'.repeat(9)])
    expect(found.map((d) => d.matcher)).toEqual(['email', 'email'])
  })

  it('finds an address in text after many @-fragments, and flags text with more than it reads', () => {
    const error = 'Cannot resolve react@18.2.0, vue@3.4.1, lodash@4.17.21, axios@1.6.0, zod@3.22.4, next@14.0.0, jest@29.7.0, tsx@4.7.0 - report to ada@example.com'
    expect(plain.detect({ type: 'track', properties: { error } }).map((f) => f.matcher)).toEqual(['email_in_text'])
    expect(plain.detect({ type: 'track', properties: { error: error.replace(' - report to ada@example.com', '') } })).toEqual([])
    // More @-fragments than are read (64 per value): flagged, as the address could be past them.
    const versions = Array.from({ length: 70 }, (_, i) => `pkg${i}@1.0.${i}`).join(' ')
    expect(plain.detect({ type: 'track', properties: { deps: versions } }).map((f) => f.matcher)).toEqual(['email_in_text'])
    // And per message: past 1,000 fragments read, later values with an @ are flagged unread.
    const values = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`list${i}`, Array.from({ length: 60 }, (_, j) => `p${j}@1.0.0`).join(' ')]))
    const found = plain.detect({ type: 'track', properties: values })
    expect(found.length).toBeGreaterThan(0)
    expect(found[0]!.pointer).not.toBe('/properties/list0')
  })

  it('caps the nodes visited in one message', () => {
    const properties = { list: Array.from({ length: DETECTION_LIMITS.maxNodes + 10 }, () => 1), email: 'late@example.com' }
    expect(plain.detect({ type: 'track', properties })).toEqual([])
    expect(plain.check({ type: 'track', properties }, 'ingest').complete).toBe(false)
    expect(plain.check({ type: 'track', properties }, 'whole').found.map((f) => f.pointer)).toEqual(['/properties/email'])
  })

  it('keeps working when more distinct keys arrive than the cache holds', () => {
    const d = compileDetector({ custom: [] })
    for (let round = 0; round < 3; round++) {
      const properties = Object.fromEntries(Array.from({ length: DETECTION_LIMITS.keyCacheSize }, (_, i) => [`k${round}_${i}`, i]))
      expect(d.detect({ type: 'track', properties })).toEqual([])
    }
    // Findings' pointers are remembered per path up to the same cap: they stay right while that memory starts over.
    for (let m = 0; m < (2 * DETECTION_LIMITS.keyCacheSize) / 90; m++) {
      const keys = Array.from({ length: 90 }, (_, i) => `e${m}_${i}`)
      const found = d.detect({ type: 'track', properties: { a: Object.fromEntries(keys.map((k) => [k, `${k}@example.com`])) } })
      expect(found.map((f) => f.pointer)).toEqual(keys.map((k) => `/properties/a/${k}`))
    }
    const long = 'k'.repeat(DETECTION_LIMITS.maxCachedKeyLength + 1)
    expect(d.detect({ type: 'track', properties: { [long]: { email: 'a@example.com' } } }).map((f) => f.pointer)).toEqual([`/properties/${long}/email`])
    expect(d.detect({ type: 'identify', traits: { email: 'a@example.com', name: 'Ada' } }).map((f) => f.matcher)).toEqual(['email', 'person_name'])
  })
})

describe('spec context fields', () => {
  it('leaves the libraries\' own context fields to custom matchers, and judges the rest of context', () => {
    const message = {
      type: 'track',
      context: {
        library: { name: 'ada@example.com', version: '1.0' },
        app: { name: 'Shop', version: '1.0', user_email: 'bob@example.com' },
        locale: '203.0.113.9',
        userAgent: 'Mozilla/5.0 (contact ada@example.com)',
        device: { name: 'ada@example.com' },
        page: { url: 'https://example.com/?email=ada%40example.com' },
        ip: '203.0.113.9'
      }
    }
    expect(plain.detect(message).map((f) => [f.pointer, f.matcher])).toEqual([
      ['/context/app/user_email', 'email'],
      ['/context/device/name', 'email'],
      ['/context/page/url', 'email_in_text'],
      ['/context/ip', 'ip_address']
    ])
    // Custom matchers see those fields too; the built-ins still do not (a custom matcher changes nothing else).
    const withCustom = compileDetector({ custom: [custom('value', '^1\\.0$', 'One'), custom('key', '^locale$', 'Locale')] })
    expect(withCustom.detect(message).map((f) => [f.pointer, f.matcher])).toEqual([
      ['/context/library/version', 'custom:one'],
      ['/context/app/version', 'custom:one'],
      ['/context/app/user_email', 'email'],
      ['/context/locale', 'custom:locale'],
      ['/context/device/name', 'email'],
      ['/context/page/url', 'email_in_text'],
      ['/context/ip', 'ip_address']
    ])
  })
})

describe('custom matchers', () => {
  it('match keys or values, case-insensitively, before the built-ins', () => {
    const d = compileDetector({ custom: [custom('key', '^loyalty_?id$'), custom('value', '^EMP-\\d{6}$', 'Employee number')] })
    const found = d.detect({
      type: 'identify',
      traits: { LoyaltyId: 'L-99', staff: 'emp-123456', email: 'ada@example.com', loyalty_id: true, other: 'EMP-1' }
    })
    expect(found.map((f) => [f.pointer, f.matcher, f.sample])).toEqual([
      ['/traits/LoyaltyId', 'custom:loyalty_id', '•••'],
      ['/traits/staff', 'custom:employee_number', '•••56'],
      ['/traits/email', 'email', 'a•••@example.com']
    ])
    // A custom key matcher overrides a built-in one on the same field.
    const over = compileDetector({ custom: [custom('key', '^email$', 'Work email')] })
    expect(over.detect({ type: 'identify', traits: { email: 'ada@example.com' } })[0]?.matcher).toBe('custom:work_email')
  })

  it('runs value patterns on strings up to 1,000 characters only', () => {
    const d = compileDetector({ custom: [custom('value', 'secret-marker')] })
    expect(d.detect({ type: 'track', properties: { a: 'x secret-marker' } })).toHaveLength(1)
    expect(d.detect({ type: 'track', properties: { a: 'x'.repeat(1_000) + ' secret-marker' } })).toEqual([])
  })

  it('refuses invalid, empty, everything-matching and exponential patterns with a clear error', () => {
    const attempt = (pattern: string): CustomMatcherError => {
      try {
        compileDetector({ custom: [custom('value', 'ok'), custom('value', pattern, 'Bad one')] })
      } catch (err) {
        expect(err).toBeInstanceOf(CustomMatcherError)
        return err as CustomMatcherError
      }
      throw new Error(`"${pattern}" was accepted`)
    }
    const invalid = attempt('([a-z')
    expect(invalid.index).toBe(1)
    expect(invalid.field).toBe('pattern')
    expect(invalid.message).toMatch(/^Custom matcher "Bad one": not a valid regular expression \(/)
    expect(attempt('').message).toMatch(/empty/)
    expect(attempt('x*').message).toMatch(/empty string/)
    expect(attempt('^(a+)+$').message).toMatch(/exponential/)
    expect(attempt('(\\w*\\s?)*@').message).toMatch(/exponential/)
    expect(attempt('x'.repeat(DETECTION_LIMITS.maxPatternLength + 1)).message).toMatch(/longer than/)
  })
})
