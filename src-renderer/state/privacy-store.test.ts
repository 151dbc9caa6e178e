import { describe, expect, it } from 'vitest'
import type { MatcherInfo, PrivacySettings } from '../../src-shared/privacy'
import { withMatcherClass } from './privacy-store'

const matcher = (id: string, custom = false): MatcherInfo => ({ id, name: id, matchesOn: 'value', defaultClassification: 'yellow', classification: 'yellow', custom, description: '' })
const settings: PrivacySettings = {
  matcherClassifications: { phone: 'red' },
  fieldClassifications: { 'properties.phone': 'green' },
  custom: [{ id: 'custom:loyalty', name: 'Loyalty', target: 'value', pattern: '^LC-', classification: 'yellow' }]
}

describe('withMatcherClass', () => {
  it('keeps only differences from a built-in matcher’s default', () => {
    expect(withMatcherClass(settings, matcher('email'), 'red').matcherClassifications).toEqual({ phone: 'red', email: 'red' })
    expect(withMatcherClass(settings, matcher('phone'), 'yellow').matcherClassifications).toEqual({})
  })

  it('changes a custom matcher in the list, leaving the rest alone', () => {
    const next = withMatcherClass(settings, matcher('custom:loyalty', true), 'red')
    expect(next.custom[0]!.classification).toBe('red')
    expect(next.matcherClassifications).toEqual(settings.matcherClassifications)
    expect(next.fieldClassifications).toEqual(settings.fieldClassifications)
  })
})
