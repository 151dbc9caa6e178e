import { describe, expect, it } from 'vitest'
import { jsJson, jsString, shellQuote } from './code-literals'

describe('jsString', () => {
  it('is a string literal that cannot close a <script> block', () => {
    const literal = jsString('</script><script>alert(1)</script>')
    expect(literal).not.toContain('</script')
    expect(JSON.parse(literal)).toBe('</script><script>alert(1)</script>')
  })
  it('escapes line separators and quotes', () => {
    expect(JSON.parse(jsString('a\u2028b"c'))).toBe('a\u2028b"c')
    expect(jsString('a\u2028b')).toBe('"a\\u2028b"')
  })
  it('keeps JSON parseable after escaping', () => {
    const value = { html: '<img src=x onerror=alert(1)>', n: [1, 2] }
    expect(JSON.parse(jsJson(value, 2))).toEqual(value)
    expect(jsJson(value)).not.toContain('<')
  })
})

describe('shellQuote', () => {
  it('wraps in single quotes and escapes embedded ones', () => {
    expect(shellQuote('plain')).toBe(`'plain'`)
    expect(shellQuote(`it's`)).toBe(`'it'\\''s'`)
    expect(shellQuote('$(rm -rf /) `x` "y"')).toBe(`'$(rm -rf /) \`x\` "y"'`)
  })
})
