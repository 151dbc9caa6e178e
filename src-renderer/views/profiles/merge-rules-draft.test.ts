import { describe, expect, it } from 'vitest'
import { DEFAULT_IDENTITY_SETTINGS } from '../../../src-shared/identity'
import { mergeRulesDraftOf, mergeRulesOf, moved } from './merge-rules-draft'

describe('merge rules draft', () => {
  it('round-trips the default settings', () => {
    expect(mergeRulesOf(mergeRulesDraftOf(DEFAULT_IDENTITY_SETTINGS))).toEqual(DEFAULT_IDENTITY_SETTINGS)
  })

  it('reads lists from text and drops empty rows', () => {
    const draft = { ...mergeRulesDraftOf(DEFAULT_IDENTITY_SETTINGS), blockedValues: ' test \n\nnull\n', externalIds: [{ kind: ' phone ', paths: 'traits.phone, , context.traits.phone' }], limits: [{ kind: 'email', limit: '3' }, { kind: ' ', limit: '9' }] }
    const settings = mergeRulesOf(draft)
    expect(settings.blockedValues).toEqual(['test', 'null'])
    expect(settings.externalIds).toEqual([{ kind: 'phone', paths: ['traits.phone', 'context.traits.phone'] }])
    expect(settings.limits).toEqual({ email: 3 })
  })

  it('moves a kind up or down, not past the ends', () => {
    expect(moved(['a', 'b', 'c'], 2, -1)).toEqual(['a', 'c', 'b'])
    expect(moved(['a', 'b', 'c'], 0, -1)).toEqual(['a', 'b', 'c'])
  })
})
