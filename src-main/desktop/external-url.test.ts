import { describe, expect, it } from 'vitest'
import { isEngineUrl, parseExternalUrl } from './external-url'

const ENGINE = 'http://127.0.0.1:7420'

describe('parseExternalUrl', () => {
  it.each(['https://segment.com/docs/', 'http://example.com/a?b=c#d', 'HTTPS://EXAMPLE.COM'])('lets %s out', (url) => {
    expect(parseExternalUrl(url)).toBeInstanceOf(URL)
  })

  it.each([
    'file:///etc/passwd',
    'smb://attacker.example/share',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'vbscript:msgbox',
    'ms-msdt:/id PCWDiagnostic',
    'chrome://settings',
    'https://user:pass@example.com/',
    '//example.com/no-scheme',
    'not a url',
    ''
  ])('keeps %s in', (url) => {
    expect(parseExternalUrl(url)).toBeNull()
  })

  it('refuses what is not a string, and absurdly long strings', () => {
    expect(parseExternalUrl(42)).toBeNull()
    expect(parseExternalUrl({ toString: () => 'https://example.com' })).toBeNull()
    expect(parseExternalUrl(`https://example.com/${'a'.repeat(10_000)}`)).toBeNull()
  })
})

describe('isEngineUrl', () => {
  it('accepts the exact engine origin, any path', () => {
    expect(isEngineUrl(`${ENGINE}/`, ENGINE)).toBe(true)
    expect(isEngineUrl(`${ENGINE}/events?type=track#x`, ENGINE)).toBe(true)
  })

  it.each([
    'https://127.0.0.1:7420.evil.example/',
    'http://127.0.0.1:7420.evil.example/',
    'http://127.0.0.1.evil.example:7420/',
    'http://127.0.0.1:7421/',
    'https://127.0.0.1:7420/',
    'http://localhost:7420/',
    'http://evil.example/?next=http://127.0.0.1:7420/',
    'http://127.0.0.1:7420@evil.example/',
    'file:///etc/passwd',
    'javascript:location="http://127.0.0.1:7420/"',
    'about:blank',
    'garbage'
  ])('rejects %s', (url) => {
    expect(isEngineUrl(url, ENGINE)).toBe(false)
  })

  it('trusts nothing while the engine is down', () => {
    expect(isEngineUrl(`${ENGINE}/`, null)).toBe(false)
  })
})
