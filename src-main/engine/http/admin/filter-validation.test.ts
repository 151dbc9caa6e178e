import { describe, expect, it } from 'vitest'
import { ApiError } from '../../errors'
import { validateConsentCategories, validateFilters } from './filter-validation'

function refusal(run: () => unknown): { field: string | undefined; message: string } {
  try {
    run()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    expect(error.status).toBe(400)
    expect(error.code).toBe('ERR_ADMIN_INVALID_BODY')
    return { field: error.field, message: error.message }
  }
  throw new Error('expected a refusal')
}

describe('validateFilters', () => {
  it('accepts each kind of filter and returns a clean copy', () => {
    const input = [
      { title: ' No anonymous ', if: 'length(userId) < 1', action: 'drop', enabled: true },
      { title: 'Tenth', if: 'all', action: 'sample', percent: 10, path: 'userId', sourceIds: [2, 2, 3] },
      { title: 'Whole', if: 'all', action: 'sample', percent: 100, path: '' },
      { title: 'PII', if: 'type = "identify"', action: 'drop_properties', fields: { properties: ['email'], 'context.traits': ['phone', 'phone'] } },
      { title: 'Allow', if: 'all', action: 'allow_properties', fields: { properties: ['plan'] }, enabled: false, sourceIds: [] }
    ]
    expect(validateFilters(input)).toEqual([
      { title: 'No anonymous', if: 'length(userId) < 1', action: 'drop', enabled: true },
      { title: 'Tenth', if: 'all', action: 'sample', percent: 10, path: 'userId', sourceIds: [2, 3] },
      { title: 'Whole', if: 'all', action: 'sample', percent: 100 },
      { title: 'PII', if: 'type = "identify"', action: 'drop_properties', fields: { properties: ['email'], 'context.traits': ['phone'] } },
      { title: 'Allow', if: 'all', action: 'allow_properties', fields: { properties: ['plan'] }, enabled: false }
    ])
    expect(validateFilters([])).toEqual([])
  })

  const drop = { title: 'T', if: 'all', action: 'drop' }
  const sample = { title: 'S', if: 'all', action: 'sample', percent: 50 }
  const props = { title: 'P', if: 'all', action: 'drop_properties', fields: { properties: ['email'] } }

  it.each([
    ['not a list', { filters: true }, 'filters', 'filters: must be a list of filters'],
    ['too many', Array(101).fill(drop), 'filters', 'filters: at most 100 filters are allowed, got 101'],
    ['not an object', [drop, 'drop'], 'filters[1]', 'filters[1]: must be an object'],
    ['unknown action', [{ ...drop, action: 'DROP' }], 'filters[0].action', 'filters[0].action: must be one of drop, sample, drop_properties, allow_properties'],
    ['unknown key', [{ ...drop, iff: 'all' }], 'filters[0].iff', 'filters[0].iff: unknown key for a "drop" filter'],
    ['key of another action', [{ ...drop, percent: 5 }], 'filters[0].percent', 'filters[0].percent: unknown key for a "drop" filter'],
    ['missing title', [{ if: 'all', action: 'drop' }], 'filters[0].title', 'filters[0].title: must be a one-line text of 1 to 200 characters'],
    ['blank title', [{ ...drop, title: '  ' }], 'filters[0].title', 'filters[0].title: must be a one-line text of 1 to 200 characters'],
    ['two-line title', [{ ...drop, title: 'a\nb' }], 'filters[0].title', 'filters[0].title: must be a one-line text of 1 to 200 characters'],
    ['missing if', [{ title: 'T', action: 'drop' }], 'filters[0].if', 'filters[0].if: must be an FQL expression (text), e.g. type = "track"'],
    ['bad FQL', [drop, drop, { ...drop, if: 'lenght(userId) < 1' }], 'filters[2].if', 'filters[2].if: unknown function "lenght" at 0'],
    ['trailing and', [{ ...drop, if: 'type = "track" and' }], 'filters[0].if', 'filters[0].if: unexpected end of expression after "and" at 18'],
    ['long FQL', [{ ...drop, if: `a = "${'x'.repeat(5000)}"` }], 'filters[0].if', 'filters[0].if: is longer than 5000 characters'],
    ['enabled as text', [{ ...drop, enabled: 'yes' }], 'filters[0].enabled', 'filters[0].enabled: must be true or false'],
    ['sourceIds not a list', [{ ...drop, sourceIds: 3 }], 'filters[0].sourceIds', 'filters[0].sourceIds: must be a list of at most 1000 source ids'],
    ['sourceId not whole', [{ ...drop, sourceIds: [1, 2.5] }], 'filters[0].sourceIds[1]', 'filters[0].sourceIds[1]: must be a source id (a whole number)'],
    ['sourceId as text', [{ ...drop, sourceIds: ['1'] }], 'filters[0].sourceIds[0]', 'filters[0].sourceIds[0]: must be a source id (a whole number)'],
    ['percent missing', [{ ...sample, percent: undefined }], 'filters[0].percent', 'filters[0].percent: must be a number from 0 to 100'],
    ['percent over 100', [{ ...sample, percent: 100.5 }], 'filters[0].percent', 'filters[0].percent: must be a number from 0 to 100'],
    ['percent negative', [{ ...sample, percent: -1 }], 'filters[0].percent', 'filters[0].percent: must be a number from 0 to 100'],
    ['percent as text', [{ ...sample, percent: '50' }], 'filters[0].percent', 'filters[0].percent: must be a number from 0 to 100'],
    ['bad sample path', [{ ...sample, path: 'user id' }], 'filters[0].path', 'filters[0].path: unexpected "id"; expected "and", "or" or the end of the expression at 5'],
    ['expression as path', [{ ...sample, path: 'userId = "a"' }], 'filters[0].path', 'filters[0].path: expected a field path such as properties.plan at 0'],
    ['fields missing', [{ ...props, fields: undefined }], 'filters[0].fields', 'filters[0].fields: must be an object of object path → keys, e.g. {"properties": ["email"]}'],
    ['fields a list', [{ ...props, fields: ['email'] }], 'filters[0].fields', 'filters[0].fields: must be an object of object path → keys, e.g. {"properties": ["email"]}'],
    ['fields empty', [{ ...props, fields: {} }], 'filters[0].fields', 'filters[0].fields: must name at least one object path'],
    ['fields bad path', [{ ...props, fields: { 'properties.': ['a'] } }], 'filters[0].fields.properties.', 'filters[0].fields.properties.: expected a field name after "." at 11'],
    ['fields not a list', [{ ...props, fields: { properties: 'email' } }], 'filters[0].fields.properties', 'filters[0].fields.properties: must be a list of 1 to 200 keys'],
    ['fields empty list', [{ ...props, fields: { properties: [] } }], 'filters[0].fields.properties', 'filters[0].fields.properties: must be a list of 1 to 200 keys'],
    ['fields bad key', [{ ...props, fields: { properties: ['ok', 3] } }], 'filters[0].fields.properties[1]', 'filters[0].fields.properties[1]: must be a key name']
  ])('%s → %s', (_case, raw, field, message) => {
    expect(refusal(() => validateFilters(raw))).toEqual({ field, message })
  })
})

describe('validateConsentCategories', () => {
  it('accepts a list of category ids', () => {
    expect(validateConsentCategories(['C0002', 'Advertising'])).toEqual(['C0002', 'Advertising'])
    expect(validateConsentCategories([])).toEqual([])
  })

  it.each([
    ['not a list', 'Advertising', 'consentCategories', 'consentCategories: must be a list of category ids'],
    ['too many', Array.from({ length: 51 }, (_, i) => `c${i}`), 'consentCategories', 'consentCategories: at most 50 categories are allowed'],
    ['not text', ['a', 2], 'consentCategories[1]', 'consentCategories[1]: must be a category id of 1 to 100 characters without surrounding spaces'],
    ['empty', [''], 'consentCategories[0]', 'consentCategories[0]: must be a category id of 1 to 100 characters without surrounding spaces'],
    ['padded', [' Ads'], 'consentCategories[0]', 'consentCategories[0]: must be a category id of 1 to 100 characters without surrounding spaces'],
    ['duplicate', ['Ads', 'Ads'], 'consentCategories[1]', 'consentCategories[1]: "Ads" is listed twice']
  ])('%s → %s', (_case, raw, field, message) => {
    expect(refusal(() => validateConsentCategories(raw))).toEqual({ field, message })
  })
})
