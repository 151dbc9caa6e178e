// Checks of privacy settings from the admin API and config files: every refusal names its field.

import { CLASSIFICATIONS, DEFAULT_DESTINATION_PRIVACY, type Classification, type CustomMatcher, type DestinationPrivacy, type PrivacyAction, type PrivacySettings } from '../../../src-shared/privacy'
import { compileDetector } from './detect'

type Fail = (field: string, message: string) => never

const ACTIONS: readonly PrivacyAction[] = ['pass', 'mask', 'hash', 'hash_salted', 'drop']
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)

function classification(value: unknown, field: string, fail: Fail): Classification {
  if (!CLASSIFICATIONS.includes(value as Classification)) fail(field, `${field} must be red, yellow or green`)
  return value as Classification
}

export function readDestinationPrivacy(raw: unknown, current: DestinationPrivacy = DEFAULT_DESTINATION_PRIVACY, fail: Fail): DestinationPrivacy {
  if (!isObject(raw)) fail('privacy', 'privacy must be an object: {"red", "yellow", "green"} → pass, mask, hash, hash_salted or drop')
  const next = { ...current }
  for (const [key, value] of Object.entries(raw)) {
    if (!CLASSIFICATIONS.includes(key as Classification)) fail(`privacy.${key}`, `privacy.${key}: the classes are red, yellow and green`)
    if (!ACTIONS.includes(value as PrivacyAction)) fail(`privacy.${key}`, `privacy.${key} must be one of ${ACTIONS.join(', ')}`)
    next[key as Classification] = value as PrivacyAction
  }
  return next
}

const SLUG = /^[a-z0-9][a-z0-9_-]{0,63}$/

export function readPrivacySettings(raw: unknown, known: (matcher: string) => boolean, fail: Fail): PrivacySettings {
  if (!isObject(raw)) fail('body', 'The body must be a JSON object')
  const unknown = Object.keys(raw).find((k) => !['detection', 'matcherClassifications', 'fieldClassifications', 'custom'].includes(k))
  if (raw.detection !== undefined && typeof raw.detection !== 'boolean') fail('detection', 'detection must be true or false')
  if (unknown) fail(unknown, `Unknown field "${unknown}".`)
  const custom: CustomMatcher[] = []
  if (raw.custom !== undefined) {
    if (!Array.isArray(raw.custom) || raw.custom.length > 100) fail('custom', 'custom must be a list of at most 100 matchers')
    raw.custom.forEach((c, i) => {
      const at = `custom[${i}]`
      if (!isObject(c)) fail(at, `${at} must be {"name", "target", "pattern", "classification"}`)
      if (typeof c.name !== 'string' || c.name.trim() === '' || c.name.length > 100) fail(`${at}.name`, `${at}.name must be a name of 1 to 100 characters`)
      if (c.target !== 'key' && c.target !== 'value') fail(`${at}.target`, `${at}.target must be "key" or "value"`)
      if (typeof c.pattern !== 'string' || c.pattern === '' || c.pattern.length > 500) fail(`${at}.pattern`, `${at}.pattern must be a regular expression of 1 to 500 characters`)
      // A repeated group with alternatives ((a|aa)+) backtracks exponentially on a near miss: one event could
      // hold ingest for minutes. safe-regex2 misses this shape, so it is refused here.
      if (/\((?:[^()\\]|\\.)*\|(?:[^()\\]|\\.)*\)\s*(?:[*+]|\{\d*,)/.test(c.pattern)) fail(`${at}.pattern`, `${at}.pattern: a repeated group with alternatives (like (a|aa)+) can take exponential time; use a character class or anchor the alternatives`)
      const slug = typeof c.id === 'string' && c.id.startsWith('custom:') ? c.id.slice(7) : c.name.trim().toLowerCase().replace(/[^a-z0-9]+/g, '_').replace(/^_+|_+$/g, '')
      if (!SLUG.test(slug)) fail(`${at}.name`, `${at}.name must hold letters or digits`)
      const matcher: CustomMatcher = { id: `custom:${slug}`, name: c.name.trim(), target: c.target, pattern: c.pattern, classification: classification(c.classification, `${at}.classification`, fail) }
      if (custom.some((m) => m.id === matcher.id)) fail(`${at}.name`, `${at}.name: another custom matcher is called that`)
      try {
        compileDetector({ custom: [matcher] })
      } catch (error) {
        fail(`${at}.pattern`, `${at}.pattern: ${(error as Error).message}`)
      }
      custom.push(matcher)
    })
  }
  const map = (key: 'matcherClassifications' | 'fieldClassifications', check: (name: string, field: string) => void): Record<string, Classification> => {
    const value = raw[key]
    if (value === undefined) return {}
    if (!isObject(value) || Object.keys(value).length > 10_000) fail(key, `${key} must be an object of at most 10,000 entries`)
    const out: Record<string, Classification> = {}
    for (const [name, cls] of Object.entries(value)) {
      check(name, `${key}.${name}`)
      out[name] = classification(cls, `${key}.${name}`, fail)
    }
    return out
  }
  return {
    ...(raw.detection === false ? { detection: false } : {}),
    custom,
    matcherClassifications: map('matcherClassifications', (name, field) => {
      if (!known(name) && !custom.some((c) => c.id === name)) fail(field, `${field}: no matcher "${name}" (see GET /api/privacy/matchers)`)
    }),
    fieldClassifications: map('fieldClassifications', (name, field) => {
      if (name.length === 0 || name.length > 500) fail(field, `${field}: a field path such as properties.email`)
    })
  }
}
