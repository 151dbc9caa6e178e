import { describe, expect, it } from 'vitest'
import { maskSample } from './mask'
import { embeddedEmails, replaceEmbeddedEmails } from './shapes'

describe('maskSample', () => {
  it('keeps only what identifies no one', () => {
    expect(maskSample('email', 'alice@example.com')).toBe('a•••@example.com')
    expect(maskSample('credit_card', '4242 4242 4242 4242')).toBe('•••• 4242')
    expect(maskSample('phone', '+44 20 7946 0978')).toBe('+44 •••• ••78')
    expect(maskSample('phone', '+447946000978')).toBe('+44 •••• ••78')
    expect(maskSample('phone', '+35312345678')).toBe('+353 •••• ••78')
    expect(maskSample('phone', '+14155550178')).toBe('+1 •••• ••78')
    expect(maskSample('phone', '(415) 555-0178')).toBe('•••• ••78')
    expect(maskSample('ip_address', '192.168.1.10')).toBe('192.168.•.•')
    expect(maskSample('ip_address', '2001:db8::1')).toBe('2001:db8:•••')
    expect(maskSample('iban', 'DE89 3704 0044 0532 0130 00')).toBe('DE•• •••• 3000')
    expect(maskSample('us_ssn', '123-45-6789')).toBe('•••-••-••89')
    expect(maskSample('password', 'correct horse battery staple')).toBe('•••')
    expect(maskSample('aws_access_key', 'AKIAIOSFODNN7EXAMPLE')).toBe('AKIA•••LE')
    expect(maskSample('bearer_token', 'Bearer abcdef0123456789')).toBe('Bearer •••89')
    // An address inside text: that address, masked (decoded when the text had it URL-encoded).
    expect(maskSample('email_in_text', 'please reply to ada@example.com thanks')).toBe('a•••@example.com')
    expect(maskSample('email', 'Ada Lovelace <ada@example.com>')).toBe('a•••@example.com')
    expect(maskSample('email_in_text', 'https://x.test/?next=%2Fa%3Femail%3Derin%2540example.net')).toBe('e•••@example.net')
  })

  it('masks anything else to ••• plus the last two characters of long values', () => {
    expect(maskSample('person_name', 'Ada Lovelace')).toBe('•••ce')
    expect(maskSample('custom:x', 'short')).toBe('•••')
    expect(maskSample('date_of_birth', 19900401)).toBe('•••01')
    expect(maskSample('postal_address', '🏠🏠🏠🏠🏠🏠🏠🏡')).toBe('•••🏠🏡')
  })

  it('falls back to the default when a value is not in the shape its matcher expects', () => {
    expect(maskSample('email', 'not an address')).toBe('•••ss')
    expect(maskSample('credit_card', '123')).toBe('•••')
    expect(maskSample('phone', '12')).toBe('•••')
    expect(maskSample('iban', '12345678')).toBe('•••78')
  })
})

describe('replaceEmbeddedEmails', () => {
  const star = (): string => '***'

  it('replaces each address where it is written, encoded or not, and keeps the text around it', () => {
    expect(replaceEmbeddedEmails('from:ada@example.com, cc erin@example.net.', star)).toBe('from:***, cc ***.')
    expect(replaceEmbeddedEmails('/signup?email=ada%40example.com&x=1', star)).toBe('/signup?email=***&x=1')
    expect(replaceEmbeddedEmails('/login?next=%2Fa%3Femail%3Derin%2540example.net', star)).toBe('/login?next=%2Fa%3Femail%3D***')
    expect(replaceEmbeddedEmails('q=contact%20ada%40example.com', star)).toBe('q=contact%20***')
    expect(embeddedEmails('q=contact%20ada%40example.com')).toEqual([{ address: 'ada@example.com', start: 12, end: 29 }])
  })

  it('hands the replacement the decoded address, in order', () => {
    const seen: string[] = []
    replaceEmbeddedEmails('b@example.org then ada%40example.com', (address) => (seen.push(address), '#'))
    expect(seen).toEqual(['b@example.org', 'ada@example.com'])
  })

  it('replaces one stretch where two candidates share characters', () => {
    expect(replaceEmbeddedEmails('x ada@example.com@example.org y', star)).toBe('x *** y')
  })

  it('reads past a % that is no escape or a non-ASCII escape, and through encoded local parts', () => {
    expect(replaceEmbeddedEmails('https://shop.example/search?q=50%25%20off%20ada%40example.com', star)).toBe('https://shop.example/search?q=50%25%20off%20***')
    expect(replaceEmbeddedEmails('?name=Jos%E9%20ada%40example.com&x=1', star)).toBe('?name=Jos%E9%20***&x=1')
    expect(replaceEmbeddedEmails('100% sure: ada@example.com', star)).toBe('100% sure: ***')
    expect(embeddedEmails('/s?e=ada%2Bnews%40example.com')).toEqual([{ address: 'ada+news@example.com', start: 5, end: 29 }])
    // An escape of an escape the backward walk does not take apart: found, but replaced whole (null here).
    expect(embeddedEmails('q=%25%34%31da%40example.com')).toBeNull()
  })

  it('stops each backward walk at the @ before it: many encoded @-signs in one value stay cheap and find nothing', () => {
    expect(embeddedEmails('%40'.repeat(60))).toEqual([])
    expect(replaceEmbeddedEmails(`${'%40'.repeat(30)}ada%40example.com`, star)).toBe(`${'%40'.repeat(30)}***`)
  })

  it('answers null when nothing can be found or too many candidates to be sure of finding all', () => {
    expect(replaceEmbeddedEmails('logo@2x.png and @scope/pkg', star)).toBeNull()
    const mentions = Array.from({ length: 70 }, (_, i) => `u${i}@h`).join(' ') + ' ada@example.com'
    expect(embeddedEmails(mentions)).toBeNull()
  })
})

describe('the e-mail candidate budget', () => {
  it('belongs to one scan: after a message that spent it, addresses are found again', async () => {
    const { compileDetector } = await import('./detect')
    const { embeddedEmail } = await import('./shapes')
    const detector = compileDetector({ custom: [] })
    const fragments = Array.from({ length: 40 }, (_, i) => [`v${i}`, Array.from({ length: 50 }, () => 'x@1.2').join(' ')])
    detector.detect({ type: 'track', properties: Object.fromEntries(fragments) })
    expect(embeddedEmail('see ada@example.com now')).toBe('ada@example.com')
    expect(maskSample('email_in_text', 'see ada@example.com now')).toBe('a•••@example.com')
  })
})
