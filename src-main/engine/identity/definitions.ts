// Checks computed-trait and audience definitions from the admin API; every refusal names its field.

import {
  COMPUTED_TRAIT_TYPES,
  CONDITION_OPERATORS,
  type AudienceCondition,
  type AudienceDefinition,
  type ComputedTraitDefinition
} from '../../../src-shared/identity'

type Fail = (field: string, message: string) => never

const PATH = /^[A-Za-z0-9_$-]{1,64}(\.[A-Za-z0-9_$-]{1,64}){0,7}$/
const MAX_CONDITIONS = 20

/** snake_case key of a name (the trait key destinations receive). */
export function keyOf(name: string): string {
  return name.trim().toLowerCase().replace(/[^\p{L}\p{N}]+/gu, '_').replace(/^_+|_+$/g, '')
}

function object(body: unknown, fail: Fail): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) fail('body', 'The body must be a JSON object')
  return body as Record<string, unknown>
}

function name(value: unknown, fail: Fail): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > 100) fail('name', 'name: must be 1 to 100 characters')
  if (keyOf(value) === '') fail('name', 'name: needs at least one letter or digit (it makes the trait key)')
  return value.trim()
}

function days(value: unknown, field: string, fail: Fail): number {
  if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > 3650) fail(field, `${field}: must be a whole number of days from 1 to 3650`)
  return value as number
}

function eventName(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || value === '' || value.length > 200) fail(field, `${field}: must be an event name (1 to 200 characters)`)
  return value
}

export function readTraitDefinition(body: unknown, fail: Fail): ComputedTraitDefinition {
  const b = object(body, fail)
  for (const key of Object.keys(b)) if (!['name', 'type', 'event', 'property', 'windowDays'].includes(key)) fail(key, `"${key}" is not part of a computed trait`)
  const type = b.type
  if (typeof type !== 'string' || !(COMPUTED_TRAIT_TYPES as readonly string[]).includes(type)) fail('type', `type: must be one of ${COMPUTED_TRAIT_TYPES.join(', ')}`)
  const event = b.event === undefined || b.event === null ? null : eventName(b.event, 'event', fail)
  let property: string | null = null
  if (b.property !== undefined && b.property !== null && b.property !== '') {
    if (typeof b.property !== 'string' || !PATH.test(b.property)) fail('property', 'property: must be a dotted path such as "properties.revenue"')
    property = b.property
  }
  if (type !== 'count' && property === null) fail('property', `property: a ${type} trait reads a property (e.g. "properties.revenue")`)
  const windowDays = b.windowDays === undefined || b.windowDays === null ? null : days(b.windowDays, 'windowDays', fail)
  return { name: name(b.name, fail), type: type as ComputedTraitDefinition['type'], event, property, windowDays }
}

export interface AudienceChecks {
  traitExists(id: number): boolean
  sourceExists(id: number): boolean
  /** Trait keys audiences set on profiles (their own emitted identify calls). */
  audienceKeys(): string[]
}

export function readAudienceDefinition(body: unknown, fail: Fail, checks: AudienceChecks): AudienceDefinition {
  const b = object(body, fail)
  for (const key of Object.keys(b)) if (!['name', 'match', 'conditions', 'sourceId', 'emitIdentify', 'emitTrack'].includes(key)) fail(key, `"${key}" is not part of an audience`)
  const match = b.match ?? 'all'
  if (match !== 'all' && match !== 'any') fail('match', 'match: must be "all" or "any"')
  if (!Array.isArray(b.conditions) || b.conditions.length === 0 || b.conditions.length > MAX_CONDITIONS) fail('conditions', `conditions: must list 1 to ${MAX_CONDITIONS} conditions`)
  const ownKey = keyOf(name(b.name, fail))
  const conditions = b.conditions.map((c, i) => condition(c, `conditions[${i}]`, fail, checks, ownKey))
  const sourceId = b.sourceId === undefined || b.sourceId === null ? null : b.sourceId
  if (sourceId !== null && (!Number.isInteger(sourceId) || !checks.sourceExists(sourceId as number))) fail('sourceId', `sourceId: no source with id ${JSON.stringify(sourceId)}`)
  for (const key of ['emitIdentify', 'emitTrack'] as const) if (b[key] !== undefined && typeof b[key] !== 'boolean') fail(key, `${key}: must be true or false`)
  return {
    name: name(b.name, fail),
    match,
    conditions,
    sourceId: sourceId as number | null,
    emitIdentify: (b.emitIdentify as boolean | undefined) ?? true,
    emitTrack: (b.emitTrack as boolean | undefined) ?? true
  }
}

// Audiences send identify calls with their key as a trait and Audience Entered/Exited tracks, which come back
// through their source: a condition on those would make an audience (or two) flip each other without end.
const AUDIENCE_EVENTS = new Set(['Audience Entered', 'Audience Exited'])

function condition(raw: unknown, field: string, fail: Fail, checks: AudienceChecks, ownKey: string): AudienceCondition {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) fail(field, `${field}: must be a condition object`)
  const c = raw as Record<string, unknown>
  const allowed = c.kind === 'event' ? ['kind', 'event', 'did', 'withinDays', 'atLeast'] : ['kind', 'key', 'traitId', 'op', 'value']
  const stray = Object.keys(c).find((k) => !allowed.includes(k))
  if (stray !== undefined) fail(`${field}.${stray}`, `${field}.${stray}: not part of a ${String(c.kind)} condition`)
  if (c.kind === 'event') {
    if (typeof c.did !== 'boolean') fail(`${field}.did`, `${field}.did: must be true (did) or false (did not)`)
    const atLeast = c.atLeast === undefined ? undefined : c.atLeast
    if (atLeast !== undefined && (!Number.isInteger(atLeast) || (atLeast as number) < 1 || (atLeast as number) > 1_000_000)) fail(`${field}.atLeast`, `${field}.atLeast: must be a whole number from 1`)
    if (AUDIENCE_EVENTS.has(c.event as string)) fail(`${field}.event`, `${field}.event: "${String(c.event)}" is sent by audiences themselves; an audience cannot depend on it`)
    const withinDays = c.withinDays === undefined || c.withinDays === null ? null : days(c.withinDays, `${field}.withinDays`, fail)
    return { kind: 'event', event: eventName(c.event, `${field}.event`, fail), did: c.did, withinDays, ...(atLeast !== undefined ? { atLeast: atLeast as number } : {}) }
  }
  if (c.kind !== 'trait' && c.kind !== 'computed') fail(`${field}.kind`, `${field}.kind: must be "trait", "computed" or "event"`)
  const op = c.op
  if (typeof op !== 'string' || !(CONDITION_OPERATORS as readonly string[]).includes(op)) fail(`${field}.op`, `${field}.op: must be one of ${CONDITION_OPERATORS.join(' ')}`)
  const needsValue = op !== 'exists' && op !== 'not_exists'
  const value = c.value
  if (needsValue && !['string', 'number', 'boolean'].includes(typeof value)) fail(`${field}.value`, `${field}.value: "${op}" compares with a string, number or boolean`)
  if (typeof value === 'string' && value.length > 500) fail(`${field}.value`, `${field}.value: at most 500 characters`)
  const compared = needsValue ? { value: value as string | number | boolean } : {}
  if (c.kind === 'trait') {
    if (typeof c.key !== 'string' || c.key === '' || c.key.length > 200) fail(`${field}.key`, `${field}.key: must be a trait name`)
    if (c.key === ownKey || checks.audienceKeys().includes(c.key)) {
      fail(`${field}.key`, `${field}.key: "${c.key}" is an audience's own trait (set when profiles enter or leave it); an audience cannot depend on it`)
    }
    return { kind: 'trait', key: c.key, op: op as AudienceCondition extends { op: infer O } ? O : never, ...compared }
  }
  if (!Number.isInteger(c.traitId) || !checks.traitExists(c.traitId as number)) fail(`${field}.traitId`, `${field}.traitId: no computed trait with id ${JSON.stringify(c.traitId)}`)
  return { kind: 'computed', traitId: c.traitId as number, op: op as AudienceCondition extends { op: infer O } ? O : never, ...compared }
}
