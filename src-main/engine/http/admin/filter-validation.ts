// Validation of a destination's filters and consent categories from the admin API. Strict on purpose: an
// unknown key or a filter that could never work is a 400 naming the field (`filters[2].if`), because a
// silently ignored filter would send data the user meant to hold back.

import type { DestinationFilter } from '../../../../src-shared/api'
import { ApiError } from '../../errors'
import { parseFql, parseFqlPath } from '../../routing/fql'

export const MAX_FILTERS = 100
const MAX_TITLE = 200
const MAX_FQL = 5000
const MAX_SOURCE_IDS = 1000
const MAX_FIELD_PATHS = 50
const MAX_KEYS = 200
const MAX_CATEGORIES = 50
const MAX_CATEGORY = 100

const COMMON_KEYS = ['title', 'if', 'enabled', 'sourceIds', 'action']
const ACTION_KEYS: Record<DestinationFilter['action'], string[]> = {
  drop: [],
  sample: ['percent', 'path'],
  drop_properties: ['fields'],
  allow_properties: ['fields']
}

export function validateFilters(raw: unknown): DestinationFilter[] {
  if (!Array.isArray(raw)) invalid('filters', 'must be a list of filters')
  if (raw.length > MAX_FILTERS) invalid('filters', `at most ${MAX_FILTERS} filters are allowed, got ${raw.length}`)
  return raw.map((item, index) => validateFilter(item, `filters[${index}]`))
}

function validateFilter(raw: unknown, at: string): DestinationFilter {
  if (!isObject(raw)) invalid(at, 'must be an object')
  const action = raw.action
  if (typeof action !== 'string' || !Object.prototype.hasOwnProperty.call(ACTION_KEYS, action)) {
    invalid(`${at}.action`, 'must be one of drop, sample, drop_properties, allow_properties')
  }
  const kind = action as DestinationFilter['action']
  const known = [...COMMON_KEYS, ...ACTION_KEYS[kind]]
  for (const key of Object.keys(raw)) if (!known.includes(key)) invalid(`${at}.${key}`, `unknown key for a "${kind}" filter`)

  if (typeof raw.title !== 'string' || raw.title.trim() === '' || raw.title.length > MAX_TITLE || /[\0-\x1f\x7f]/.test(raw.title)) {
    invalid(`${at}.title`, `must be a one-line text of 1 to ${MAX_TITLE} characters`)
  }
  const common = { title: raw.title.trim(), if: fql(raw.if, `${at}.if`) } as { title: string; if: string; enabled?: boolean; sourceIds?: number[] }
  if (raw.enabled !== undefined) {
    if (typeof raw.enabled !== 'boolean') invalid(`${at}.enabled`, 'must be true or false')
    common.enabled = raw.enabled
  }
  if (raw.sourceIds !== undefined) {
    const ids = sourceIds(raw.sourceIds, `${at}.sourceIds`)
    // An empty list means "every connected source", the same as leaving it out.
    if (ids.length > 0) common.sourceIds = ids
  }

  switch (kind) {
    case 'drop':
      return { ...common, action: kind }
    case 'sample': {
      if (typeof raw.percent !== 'number' || !Number.isFinite(raw.percent) || raw.percent < 0 || raw.percent > 100) {
        invalid(`${at}.percent`, 'must be a number from 0 to 100')
      }
      const filter: DestinationFilter = { ...common, action: kind, percent: raw.percent }
      if (raw.path !== undefined && raw.path !== '') filter.path = path(raw.path, `${at}.path`)
      return filter
    }
    case 'drop_properties':
    case 'allow_properties':
      return { ...common, action: kind, fields: fields(raw.fields, `${at}.fields`) }
  }
}

function fql(raw: unknown, at: string): string {
  if (typeof raw !== 'string') invalid(at, 'must be an FQL expression (text), e.g. type = "track"')
  if (raw.length > MAX_FQL) invalid(at, `is longer than ${MAX_FQL} characters`)
  try {
    parseFql(raw)
  } catch (error) {
    invalid(at, (error as Error).message)
  }
  return raw
}

function path(raw: unknown, at: string): string {
  if (typeof raw !== 'string' || raw.length > 500) invalid(at, 'must be a field path such as userId or properties.plan')
  try {
    parseFqlPath(raw)
  } catch (error) {
    invalid(at, (error as Error).message)
  }
  return raw
}

function sourceIds(raw: unknown, at: string): number[] {
  if (!Array.isArray(raw) || raw.length > MAX_SOURCE_IDS) invalid(at, `must be a list of at most ${MAX_SOURCE_IDS} source ids`)
  raw.forEach((id, i) => {
    if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 1) invalid(`${at}[${i}]`, 'must be a source id (a whole number)')
  })
  return [...new Set(raw as number[])]
}

function fields(raw: unknown, at: string): Record<string, string[]> {
  if (!isObject(raw)) invalid(at, 'must be an object of object path → keys, e.g. {"properties": ["email"]}')
  const entries = Object.entries(raw)
  if (entries.length === 0) invalid(at, 'must name at least one object path')
  if (entries.length > MAX_FIELD_PATHS) invalid(at, `must name at most ${MAX_FIELD_PATHS} object paths`)
  const result: Record<string, string[]> = {}
  for (const [objectPath, keys] of entries) {
    const where = `${at}.${objectPath}`
    path(objectPath, where)
    if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS) invalid(where, `must be a list of 1 to ${MAX_KEYS} keys`)
    keys.forEach((key, i) => {
      if (typeof key !== 'string' || key === '' || key.length > 500) invalid(`${where}[${i}]`, 'must be a key name')
    })
    // defineProperty, so a path named "__proto__" stays a plain key.
    Object.defineProperty(result, objectPath, { value: [...new Set(keys as string[])], enumerable: true, writable: true, configurable: true })
  }
  return result
}

export function validateConsentCategories(raw: unknown): string[] {
  if (!Array.isArray(raw)) invalid('consentCategories', 'must be a list of category ids')
  if (raw.length > MAX_CATEGORIES) invalid('consentCategories', `at most ${MAX_CATEGORIES} categories are allowed`)
  const seen = new Set<string>()
  raw.forEach((category, i) => {
    const at = `consentCategories[${i}]`
    if (typeof category !== 'string' || category.trim() !== category || category === '' || category.length > MAX_CATEGORY || /[\0-\x1f\x7f]/.test(category)) {
      invalid(at, `must be a category id of 1 to ${MAX_CATEGORY} characters without surrounding spaces`)
    }
    if (seen.has(category)) invalid(at, `"${category}" is listed twice`)
    seen.add(category)
  })
  return [...seen]
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function invalid(field: string, problem: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', `${field}: ${problem}`, field)
}
