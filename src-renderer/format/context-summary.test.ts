import { describe, expect, it } from 'vitest'
import { contextSummary } from './context-summary'

describe('contextSummary', () => {
  it('reads library, page url, user agent and ip', () => {
    const payload = {
      type: 'track',
      context: { library: { name: 'analytics.js', version: 'next-1.84.3' }, page: { url: 'https://shop.example/cart' }, userAgent: 'Mozilla/5.0', ip: '10.0.0.1' }
    }
    expect(contextSummary(payload)).toEqual({ library: 'analytics.js next-1.84.3', pageUrl: 'https://shop.example/cart', userAgent: 'Mozilla/5.0', ip: '10.0.0.1' })
  })

  it('takes a page call’s url from its properties', () => {
    expect(contextSummary({ type: 'page', properties: { url: 'https://example.com/' } }).pageUrl).toBe('https://example.com/')
  })

  it('shows the masked sample of every field with a finding, never its value', () => {
    const payload = { type: 'page', context: { page: { url: 'https://x.test/?email=ada%40example.com' }, ip: '203.0.113.9', library: { name: 'ada@example.com' } }, properties: { url: 'https://y.test/?e=bob%40example.com' } }
    const masked = new Map([['/context/page/url', '•••om'], ['/context/ip', '203.0.•.•'], ['/context/library/name', 'a•••@example.com']])
    expect(contextSummary(payload, masked)).toEqual({ library: 'a•••@example.com', pageUrl: '•••om', userAgent: null, ip: '203.0.•.•' })
    const pageOnly = { type: 'page', properties: { url: 'https://y.test/?e=bob%40example.com' } }
    expect(contextSummary(pageOnly, new Map([['/properties/url', '•••om']])).pageUrl).toBe('•••om')
    expect(contextSummary(pageOnly, new Map()).pageUrl).toBe('https://y.test/?e=bob%40example.com')
  })

  it('survives missing or mistyped fields', () => {
    expect(contextSummary({ context: 'nope' })).toEqual({ library: null, pageUrl: null, userAgent: null, ip: null })
    expect(contextSummary({ context: { library: { name: 'x' }, page: [1], ip: 5 } })).toEqual({ library: 'x', pageUrl: null, userAgent: null, ip: '5' })
  })
})
