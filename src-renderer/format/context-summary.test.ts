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

  it('survives missing or mistyped fields', () => {
    expect(contextSummary({ context: 'nope' })).toEqual({ library: null, pageUrl: null, userAgent: null, ip: null })
    expect(contextSummary({ context: { library: { name: 'x' }, page: [1], ip: 5 } })).toEqual({ library: 'x', pageUrl: null, userAgent: null, ip: '5' })
  })
})
