import { describe, expect, it } from 'vitest'
import { analyticsJsSnippet, analyticsNodeSnippet } from './snippets'

describe('analyticsJsSnippet', () => {
  const snippet = analyticsJsSnippet('http://127.0.0.1:7420', 'wk_web')

  it("is Segment's snippet with the CDN host and _cdn pointing at Loupe", () => {
    expect(snippet.startsWith('<script>\n')).toBe(true)
    expect(snippet.endsWith('\n</script>')).toBe(true)
    expect(snippet).toContain('t.src="http://127.0.0.1:7420/analytics.js/v1/"+key+"/analytics.min.js"; // Loupe: was https://cdn.segment.com\n')
    expect(snippet).toContain('analytics._cdn="http://127.0.0.1:7420"; // Loupe: added')
    expect(snippet).toContain('analytics.load("wk_web");')
    expect(snippet).toContain('analytics.SNIPPET_VERSION="5.2.0"')
    // Only the comment still names Segment's CDN; no URL in the code does.
    expect(snippet).not.toMatch(/["']https?:\/\/cdn\.segment\.com/)
  })

  it('is valid JavaScript', () => {
    const body = snippet.replace(/^<script>\n/, '').replace(/\n<\/script>$/, '')
    expect(() => new Function(body)).not.toThrow()
  })

  it('cannot be broken out of by a hostile write key', () => {
    const hostile = analyticsJsSnippet('http://127.0.0.1:7420', '</script><script>alert(1)</script>')
    expect(hostile.match(/<\/script>/g)).toHaveLength(1)
  })
})

describe('analyticsNodeSnippet', () => {
  it('sets writeKey and host', () => {
    expect(analyticsNodeSnippet('http://127.0.0.1:7420', 'wk_api')).toContain('new Analytics({ writeKey: "wk_api", host: "http://127.0.0.1:7420" })')
  })
})
