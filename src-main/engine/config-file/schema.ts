// The shape of a config file, checked before anything is applied. Destinations go through the admin API's
// own validators (settings per kind, filters, consent, limits), so a file is accepted exactly when the same
// destination would be accepted by POST /api/destinations. Sources are referred to by name: ids differ
// from one data dir to the next.

import { defaultLimits } from '../../../src-shared/default-limits'
import type { DeliveryLimits, DestinationFilter, DestinationKind, DestinationSettings } from '../../../src-shared/api'
import type { PlanRule } from '../../../src-shared/plans'
import { WRITE_KEY_PATTERN, WRITE_KEY_RULE } from '../../../src-shared/write-key'
import { validateSettings } from '../http/admin/destination-settings'
import { validateConsentCategories, validateFilters } from '../http/admin/filter-validation'
import { ConfigFileError, withFieldPrefix } from './errors'
import { validateLimits } from '../http/admin/limits-validation'
import { validateRules } from '../protocols/plan-rules'
import { readEnforcementChange, type Fail as EnforcementFail } from '../protocols/enforcement-settings'
import { DEFAULT_ENFORCEMENT, type SourceEnforcement } from '../../../src-shared/enforcement'

export const CONFIG_VERSION = 1

export interface SourceSpec {
  /** Where it is in the file, e.g. `sources[0]`. */
  at: string
  name: string
  writeKey: string
  /** Tracking-plan enforcement (as PUT /api/sources/:id/enforcement), violations forwarded to a source by name. */
  enforcement?: SourceEnforcementSpec
}

export type SourceEnforcementSpec = Omit<SourceEnforcement, 'forwardViolationsTo'> & { forwardViolationsTo: string | null }

/** A filter as stored, minus `sourceIds`: the file names its sources (`sourceNames`) instead. */
export interface FilterSpec {
  filter: DestinationFilter
  sourceNames: string[]
}

export interface DestinationSpec {
  at: string
  name: string
  kind: DestinationKind
  /** Validated and with secrets in clear (they come from the environment); sealed when applied. */
  settings: DestinationSettings
  enabled: boolean
  sourceNames: string[]
  filters: FilterSpec[]
  consentCategories: string[]
  limits: DeliveryLimits
}

export interface PlanSpec {
  at: string
  name: string
  description: string
  /** Checked (and compiled) by the admin API's rule validator, so a file plan is accepted exactly when POST /api/plans would accept it. */
  rules: PlanRule[]
  sourceNames: string[]
}

export interface ConfigSpec {
  file: string
  sources: SourceSpec[]
  destinations: DestinationSpec[]
  trackingPlans: PlanSpec[]
  /** Things worth a line at start-up. */
  warnings: string[]
}

const TOP_KEYS = ['version', '$comment', 'sources', 'destinations', 'trackingPlans']
const SOURCE_KEYS = ['name', 'writeKey', 'enforcement']
const PLAN_KEYS = ['name', 'description', 'rules', 'sourceNames']
const DESTINATION_KEYS = ['name', 'kind', 'settings', 'enabled', 'sourceNames', 'filters', 'consentCategories', 'limits']
const KINDS: DestinationKind[] = ['webhook', 'segment', 'actions', 'file', 'warehouse']

/** Checks a parsed (and env-substituted) document; throws a ConfigFileError naming the first bad field. */
export function validateConfig(file: string, doc: unknown): ConfigSpec {
  const fail = (field: string | null, problem: string): never => {
    throw new ConfigFileError(file, field, problem)
  }
  if (!isObject(doc)) fail(null, 'the file must hold an object with "sources", "destinations" and/or "trackingPlans"')
  const top = doc as Record<string, unknown>
  unknownKey(top, TOP_KEYS, '', fail)
  if (top.version !== undefined && top.version !== CONFIG_VERSION) fail('version', `version must be ${CONFIG_VERSION} (the only config file version this Loupe reads)`)
  const warnings: string[] = []

  const sources = listOf(top.sources, 'sources', fail).map((raw, i) => source(raw, `sources[${i}]`, fail))
  const destinations = listOf(top.destinations, 'destinations', fail).map((raw, i) => destination(file, raw, `destinations[${i}]`, fail))
  unique(sources.map((s) => [s.at, s.name]), 'name', 'a source named', fail)
  unique(sources.map((s) => [s.at, s.writeKey]), 'writeKey', 'the write key', fail)
  unique(destinations.map((d) => [d.at, d.name]), 'name', 'a destination named', fail)
  const trackingPlans = listOf(top.trackingPlans, 'trackingPlans', fail).map((raw, i) => plan(file, raw, `trackingPlans[${i}]`, fail))
  unique(trackingPlans.map((p) => [p.at, p.name]), 'name', 'a tracking plan named', fail)
  oneSourceOnePlan(trackingPlans, fail)
  return { file, sources, destinations, trackingPlans, warnings }
}

type Fail = (field: string | null, problem: string) => never

function source(raw: unknown, at: string, fail: Fail): SourceSpec {
  if (!isObject(raw)) fail(at, 'must be an object with "name" and "writeKey"')
  const input = raw as Record<string, unknown>
  unknownKey(input, SOURCE_KEYS, `${at}.`, fail)
  const spec: SourceSpec = { at, name: name(input.name, `${at}.name`, fail), writeKey: writeKey(input.writeKey, `${at}.writeKey`, fail) }
  if (input.enforcement !== undefined) {
    const where = `${at}.enforcement`
    if (!isObject(input.enforcement)) fail(where, 'enforcement must be an object (unplannedEvents, unplannedProperties, violations, blockedEvents, forwardViolationsTo)')
    // The API's messages start with the field; a file's error names the whole path once.
    const prefixed: EnforcementFail = (field, problem) => fail(`${where}.${field}`, problem.startsWith(`${field}: `) ? problem.slice(field.length + 2) : problem)
    spec.enforcement = readEnforcementChange(input.enforcement as Record<string, unknown>, { ...DEFAULT_ENFORCEMENT, forwardViolationsTo: null as string | null }, prefixed, (value, field) => {
      if (value !== null && typeof value !== 'string') prefixed(field, 'forwardViolationsTo: name the source that receives the violations (or null)')
      if (value === spec.name) prefixed(field, 'forwardViolationsTo: a source cannot receive its own violations (pick another source)')
      return value as string | null
    })
  }
  return spec
}

function destination(file: string, raw: unknown, at: string, fail: Fail): DestinationSpec {
  if (!isObject(raw)) fail(at, 'must be an object with "name", "kind" and "settings"')
  const input = raw as Record<string, unknown>
  unknownKey(input, DESTINATION_KEYS, `${at}.`, fail)
  const destinationName = name(input.name, `${at}.name`, fail)
  if (!KINDS.includes(input.kind as DestinationKind)) fail(`${at}.kind`, `kind must be one of ${KINDS.map((k) => `"${k}"`).join(', ')}`)
  const kind = input.kind as DestinationKind
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') fail(`${at}.enabled`, 'enabled must be true or false')
  const inAdminApi = <T>(validate: () => T): T => withFieldPrefix(file, at, validate)
  return {
    at,
    name: destinationName,
    kind,
    settings: inAdminApi(() => validateSettings(kind, input.settings)),
    enabled: (input.enabled as boolean | undefined) ?? true,
    sourceNames: input.sourceNames === undefined ? [] : names(input.sourceNames, `${at}.sourceNames`, fail),
    filters: input.filters === undefined ? [] : filters(input.filters, at, inAdminApi, fail),
    consentCategories: input.consentCategories === undefined ? [] : inAdminApi(() => validateConsentCategories(input.consentCategories)),
    limits: inAdminApi(() => validateLimits(input.limits, defaultLimits(kind)))
  }
}

function plan(file: string, raw: unknown, at: string, fail: Fail): PlanSpec {
  if (!isObject(raw)) fail(at, 'must be an object with "name" and "rules"')
  const input = raw as Record<string, unknown>
  unknownKey(input, PLAN_KEYS, `${at}.`, fail)
  const planName = name(input.name, `${at}.name`, fail)
  if (input.description !== undefined && (typeof input.description !== 'string' || input.description.length > 2000)) fail(`${at}.description`, `${at}.description must be a string of at most 2000 characters`)
  // Required (an empty list is fine): a plan without "rules" in a file is more likely a typo than an empty plan.
  if (input.rules === undefined) fail(`${at}.rules`, `${at}.rules is required: a list of rules ({ type, key?, version?, jsonSchema }), possibly empty`)
  return {
    at,
    name: planName,
    description: ((input.description as string | undefined) ?? '').trim(),
    rules: withFieldPrefix(file, at, () => validateRules(input.rules, 'rules')).rules,
    sourceNames: input.sourceNames === undefined ? [] : names(input.sourceNames, `${at}.sourceNames`, fail)
  }
}

/** A source is validated against at most one plan, so the file cannot connect it to two. */
function oneSourceOnePlan(plans: PlanSpec[], fail: Fail): void {
  const owner = new Map<string, string>()
  for (const p of plans) {
    p.sourceNames.forEach((sourceName, i) => {
      const first = owner.get(sourceName)
      if (first !== undefined) fail(`${p.at}.sourceNames[${i}]`, `the source "${sourceName}" is already connected to the plan at ${first} (a source has at most one tracking plan)`)
      owner.set(sourceName, p.at)
    })
  }
}

/** The admin API's filter rules, with `sourceNames` taken aside (and `sourceIds` refused: ids are not portable). */
function filters(raw: unknown, at: string, inAdminApi: <T>(validate: () => T) => T, fail: Fail): FilterSpec[] {
  if (!Array.isArray(raw)) return inAdminApi(() => validateFilters(raw)).map((filter) => ({ filter, sourceNames: [] }))
  const sourceNames = raw.map((item, i) => {
    if (!isObject(item)) return []
    const where = `${at}.filters[${i}]`
    if (item.sourceIds !== undefined) fail(`${where}.sourceIds`, 'name the sources with "sourceNames" (source ids differ between data dirs)')
    return item.sourceNames === undefined ? [] : names(item.sourceNames, `${where}.sourceNames`, fail)
  })
  const stripped = raw.map((item) => {
    if (!isObject(item)) return item
    const { sourceNames: _names, ...rest } = item
    return rest
  })
  return inAdminApi(() => validateFilters(stripped)).map((filter, i) => ({ filter, sourceNames: sourceNames[i]! }))
}

function listOf(raw: unknown, field: string, fail: Fail): unknown[] {
  if (raw === undefined || raw === null) return []
  if (!Array.isArray(raw)) fail(field, `${field} must be a list`)
  return raw as unknown[]
}

function name(raw: unknown, field: string, fail: Fail): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > 200) fail(field, `${field} must be a non-empty string of at most 200 characters`)
  return (raw as string).trim()
}

function names(raw: unknown, field: string, fail: Fail): string[] {
  if (!Array.isArray(raw)) fail(field, `${field} must be a list of source names`)
  return [...new Set((raw as unknown[]).map((item, i) => name(item, `${field}[${i}]`, fail)))]
}

function writeKey(raw: unknown, field: string, fail: Fail): string {
  if (typeof raw !== 'string' || !WRITE_KEY_PATTERN.test(raw)) fail(field, `${field}: ${raw === undefined ? 'a fixed write key is required. ' : ''}${WRITE_KEY_RULE}`)
  return raw as string
}

function unknownKey(input: Record<string, unknown>, known: string[], prefix: string, fail: Fail): void {
  const unknown = Object.keys(input).find((k) => !known.includes(k))
  if (unknown !== undefined) fail(`${prefix}${unknown}`, `unknown key "${unknown}" (known: ${known.join(', ')})`)
}

function unique(entries: [string, string][], key: string, what: string, fail: Fail): void {
  const seen = new Map<string, string>()
  for (const [at, value] of entries) {
    const first = seen.get(value)
    if (first !== undefined) fail(`${at}.${key}`, `${what} "${value}" is already declared at ${first}`)
    seen.set(value, at)
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}
