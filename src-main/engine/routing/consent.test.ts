import { describe, expect, it } from 'vitest'
import { consentBlocks } from './consent'

const withPreferences = (categoryPreferences: unknown) => ({ type: 'track', context: { consent: { categoryPreferences } } })

describe('consentBlocks', () => {
  it('lets an event through when every category the destination needs is granted', () => {
    const event = withPreferences({ Advertising: true, Analytics: false, Functional: true })
    expect(consentBlocks(event, ['Advertising'])).toBeNull()
    expect(consentBlocks(event, ['Advertising', 'Functional'])).toBeNull()
  })

  it('blocks when one needed category is refused or not mentioned, naming the first such category', () => {
    const event = withPreferences({ Advertising: true, Analytics: false })
    expect(consentBlocks(event, ['Analytics'])).toBe('filtered by end user consent: category "Analytics" not granted')
    expect(consentBlocks(event, ['Advertising', 'DataSharing', 'Analytics'])).toBe('filtered by end user consent: category "DataSharing" not granted')
    // An empty preference object: "consent is considered to be false for all categories".
    expect(consentBlocks(withPreferences({}), ['C0002'])).toBe('filtered by end user consent: category "C0002" not granted')
  })

  it('grants only on true itself, not on truthy look-alikes', () => {
    for (const value of ['true', 1, 'yes', {}, null]) {
      expect(consentBlocks(withPreferences({ Advertising: value }), ['Advertising'])).toBe('filtered by end user consent: category "Advertising" not granted')
    }
  })

  it('lets events without consent preferences through (Segment: "continue to flow … without consent enforcement")', () => {
    for (const event of [{ type: 'track' }, { context: {} }, { context: { consent: {} } }, { context: { consent: null } }, { context: 'x' }, withPreferences(null)]) {
      expect(consentBlocks(event, ['Advertising'])).toBeNull()
    }
  })

  it('never blocks for a destination mapped to no category', () => {
    expect(consentBlocks(withPreferences({ Advertising: false }), [])).toBeNull()
  })

  it('holds back an event whose preferences are present but unreadable', () => {
    for (const bad of ['Advertising', ['Advertising'], 1, true]) {
      expect(consentBlocks(withPreferences(bad), ['Advertising'])).toBe('filtered by end user consent: context.consent.categoryPreferences is not an object')
    }
  })

  it('reads only own keys, so a category named like an Object method is not granted by the prototype', () => {
    expect(consentBlocks(withPreferences({}), ['constructor'])).not.toBeNull()
    expect(consentBlocks(withPreferences(JSON.parse('{"__proto__": true}')), ['__proto__'])).toBeNull()
  })
})
