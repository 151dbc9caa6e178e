import { describe, expect, it } from 'vitest'
import { parsePrivacyUrl, privacyUrl } from './privacy-url'

describe('privacy URL', () => {
  it('round-trips a tab and a source', () => {
    expect(parsePrivacyUrl('?tab=inbox&source=3')).toEqual({ tab: 'inbox', source: 3 })
    expect(privacyUrl({ tab: 'inbox', source: 3 })).toBe('/privacy?tab=inbox&source=3')
    expect(privacyUrl({ tab: 'inventory' })).toBe('/privacy')
  })

  it('falls back to the inventory on an unknown tab and ignores a bad source', () => {
    expect(parsePrivacyUrl('?tab=<b>x</b>&source=1e3')).toEqual({ tab: 'inventory' })
  })
})
