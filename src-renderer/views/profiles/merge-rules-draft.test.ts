import { describe, expect, it } from 'vitest'
import { DEFAULT_IDENTITY_SETTINGS } from '../../../src-shared/identity'
import { mergeRulesDraftOf, mergeRulesOf, mergeRulesProblem, moved } from './merge-rules-draft'

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

describe('merge rules checked before saving', () => {
  const base = mergeRulesDraftOf(DEFAULT_IDENTITY_SETTINGS)

  it('accepts the defaults and blank rows', () => {
    expect(mergeRulesProblem(base)).toBeNull()
    expect(mergeRulesProblem({ ...base, limits: [{ kind: ' ', limit: 'x' }], externalIds: [...base.externalIds, { kind: '', paths: '' }] })).toBeNull()
  })

  it('names the field of a limit the engine would refuse', () => {
    expect(mergeRulesProblem({ ...base, defaultLimit: '0' })).toMatchObject({ field: 'defaultLimit', message: expect.stringMatching(/whole number from 1 to 1000/) })
    expect(mergeRulesProblem({ ...base, defaultLimit: 'abc' })?.field).toBe('defaultLimit')
    expect(mergeRulesProblem({ ...base, defaultLimit: '1001' })?.field).toBe('defaultLimit')
    expect(mergeRulesProblem({ ...base, defaultLimit: '2.5' })?.field).toBe('defaultLimit')
    expect(mergeRulesProblem({ ...base, defaultLimit: ' 1000 ' })).toBeNull()
    expect(mergeRulesProblem({ ...base, limits: [{ kind: 'email', limit: '0' }] })?.field).toBe('limits[0].limit')
    expect(mergeRulesProblem({ ...base, limits: [{ kind: 'Email', limit: '3' }] })?.field).toBe('limits[0].kind')
    expect(mergeRulesProblem({ ...base, limits: [{ kind: 'email', limit: '3' }, { kind: 'email', limit: '4' }] })?.field).toBe('limits[1].kind')
    expect(mergeRulesProblem({ ...base, externalIds: [{ kind: 'phone number', paths: 'traits.phone' }] })?.field).toBe('externalIds[0].kind')
  })
})
