// Checks one message against a plan: compilePlan(rules) turns a version's rules into ajv validators once;
// validate(message) then picks the message's rule (Segment's matching) and reports violations.
// Messages are attacker-controlled: nothing here trusts their shape, and the output is bounded.

import type { ErrorObject, ValidateFunction } from 'ajv'
import type { PlanRule, PlanRuleType, Violation } from '../../../src-shared/plans'
import { compileSchema, newCompiler } from './ajv'

export interface CompiledPlan {
  validate(message: Record<string, unknown>): Violation[]
}

/** A rule whose schema ajv refuses; `index` is its place in the rules given. */
export class PlanCompileError extends Error {
  constructor(readonly index: number, message: string) {
    super(message)
  }
}

/**
 * At most this many violations are stored per event: a hostile event with 10,000 stray properties stays cheap
 * to store. Enforcement decides on the whole list (validate returns it all), or 50 junk properties would hide
 * a wrong type from "block events with violations".
 */
export const MAX_VIOLATIONS = 50

/** What is kept of a message's violations: schema violations first (they say the most), then the rest, capped. */
export function capViolations(all: Violation[]): Violation[] {
  if (all.length <= MAX_VIOLATIONS) return all
  const rank = (v: Violation): number => (v.kind === 'unplanned_property' ? 1 : 0)
  return [...all].sort((a, b) => rank(a) - rank(b)).slice(0, MAX_VIOLATIONS)
}

const SLOT: Partial<Record<PlanRuleType, 'properties' | 'traits'>> = { TRACK: 'properties', PAGE: 'properties', SCREEN: 'properties', IDENTIFY: 'traits', GROUP: 'traits' }
const RULE_OF_TYPE: Record<string, PlanRuleType> = { identify: 'IDENTIFY', group: 'GROUP', page: 'PAGE', screen: 'SCREEN' }

type Versions = { version: number; check: ValidateFunction }[]

export function compilePlan(rules: PlanRule[]): CompiledPlan {
  const ajv = newCompiler()
  const common = rules.filter((r) => r.type === 'COMMON')
  // Common properties and traits are planned for every event, so a rule need not list them again.
  const commonNames = { properties: slotNames(common, 'properties'), traits: slotNames(common, 'traits') }
  const byRule = new Map<string, Versions>()
  rules.forEach((rule, index) => {
    const slot = SLOT[rule.type]
    const schema = slot ? closeSlot(rule.jsonSchema, slot, commonNames[slot]) : rule.jsonSchema
    let check: ValidateFunction
    try {
      check = compileSchema(ajv, schema)
    } catch (error) {
      throw new PlanCompileError(index, (error as Error).message)
    }
    const id = ruleId(rule.type, rule.type === 'TRACK' ? rule.key : undefined)
    const versions = byRule.get(id) ?? []
    versions.push({ version: rule.version ?? 1, check })
    byRule.set(id, versions.sort((a, b) => a.version - b.version))
  })

  return {
    validate(message) {
      const wanted = eventVersion(message)
      const pick = (id: string): ValidateFunction | null => {
        const versions = byRule.get(id)
        if (!versions) return null
        return (wanted !== null ? versions.find((v) => v.version === wanted) : undefined)?.check ?? versions[0]!.check
      }
      const found = new Map<string, Violation>()
      const run = (check: ValidateFunction | null) => {
        if (check && !check(message)) for (const v of toViolations(check.errors ?? [])) if (!found.has(v.kind + v.pointer)) found.set(v.kind + v.pointer, v)
      }
      const type = message.type
      let rule: ValidateFunction | null = null
      if (type === 'track') {
        const name = message.event
        rule = typeof name === 'string' ? pick(ruleId('TRACK', name)) : null
        if (!rule) found.set('unplanned_event', { kind: 'unplanned_event', pointer: '/event', expected: null, actual: short(name), message: `Track event ${short(name)} is not in the tracking plan.` })
      } else if (typeof type === 'string' && RULE_OF_TYPE[type]) {
        rule = pick(ruleId(RULE_OF_TYPE[type]!))
      }
      run(pick(ruleId('COMMON')))
      run(rule)
      return [...found.values()]
    }
  }
}

const ruleId = (type: PlanRuleType, key?: string): string => (type === 'TRACK' ? `TRACK\u0000${key ?? ''}` : type)

function eventVersion(message: Record<string, unknown>): number | null {
  const context = message.context
  const protocols = isObject(context) ? context.protocols : undefined
  const version = isObject(protocols) ? protocols.event_version : undefined
  return typeof version === 'number' && Number.isInteger(version) ? version : null
}

function slotNames(rules: PlanRule[], slot: 'properties' | 'traits'): string[] {
  const names = new Set<string>()
  for (const rule of rules) {
    const s = slotSchema(rule.jsonSchema, slot)
    if (isObject(s) && isObject(s.properties)) for (const name of Object.keys(s.properties)) names.add(name)
  }
  return [...names]
}

const slotSchema = (schema: Record<string, unknown>, slot: string): unknown => (isObject(schema.properties) ? schema.properties[slot] : undefined)

/**
 * Segment flags properties a rule does not list unless it says `additionalProperties: true`; JSON Schema allows
 * them. So the copy compiled closes the rule's properties/traits object (and nested objects that list their
 * properties) wherever additionalProperties is unsaid; ajv then reports each extra one.
 */
function closeSlot(schema: Record<string, unknown>, slot: 'properties' | 'traits', planned: string[]): Record<string, unknown> {
  const copy = structuredClone(schema)
  const top = isObject(copy.properties) ? copy.properties : (copy.properties = {})
  const current = top[slot]
  if (current === undefined) top[slot] = { properties: {} }
  if (!isObject(top[slot])) return copy
  const target = top[slot] as Record<string, unknown>
  if (target.additionalProperties !== undefined) return copy
  const own = isObject(target.properties) ? target.properties : (target.properties = {})
  for (const name of planned) if (!(name in own)) own[name] = true
  close(target)
  return copy
}

function close(schema: Record<string, unknown>): void {
  if (schema.additionalProperties === undefined) schema.additionalProperties = false
  if (!isObject(schema.properties)) return
  for (const child of Object.values(schema.properties)) closeListed(child)
}

/** An object schema that lists its properties, directly or as the items of an array (`items: [{sku, qty}]`). */
function closeListed(child: unknown): void {
  if (!isObject(child)) return
  if (isObject(child.properties) && child.additionalProperties === undefined) close(child)
  if (isObject(child.items)) closeListed(child.items)
}

function toViolations(errors: ErrorObject[]): Violation[] {
  const out: Violation[] = []
  for (const e of errors) {
    // A failed branch of anyOf/oneOf is not a violation by itself: the anyOf/oneOf error says the value fit none.
    // `if` only says which of then/else failed; their own errors carry the detail.
    if (/\/(anyOf|oneOf)\/\d+\//.test(e.schemaPath) || e.keyword === 'if') continue
    const p = e.params as Record<string, unknown>
    const where = e.instancePath
    switch (e.keyword) {
      case 'required': {
        const pointer = `${where}/${escapePointer(String(p.missingProperty))}`
        out.push({ kind: 'missing_required', pointer, expected: 'required', actual: null, message: `${pointer} is required.` })
        break
      }
      case 'additionalProperties': {
        const name = String(p.additionalProperty)
        const pointer = `${where}/${escapePointer(name)}`
        const value = isObject(e.data) ? e.data[name] : undefined
        out.push({ kind: 'unplanned_property', pointer, expected: null, actual: short(value), message: `${pointer} is not in the tracking plan.` })
        break
      }
      case 'type': {
        const expected = Array.isArray(p.type) ? p.type.join(' or ') : String(p.type)
        out.push({ kind: 'wrong_type', pointer: where, expected, actual: short(e.data), message: `${where || 'The message'} must be ${expected}, got ${typeName(e.data)}.` })
        break
      }
      default: {
        const expected =
          e.keyword === 'enum' ? `one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`
          : e.keyword === 'const' ? `equal to ${JSON.stringify(p.allowedValue)}`
          : e.keyword === 'pattern' ? `matching ${String(p.pattern)}`
          : e.keyword === 'format' ? `format ${String(p.format)}`
          : (e.message ?? e.keyword)
        out.push({ kind: 'not_allowed', pointer: where, expected, actual: short(e.data), message: `${where || 'The message'} ${e.message ?? 'is not allowed'}.` })
      }
    }
  }
  return out
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
const escapePointer = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')
const typeName = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : Number.isInteger(v) ? 'integer' : typeof v)

/** The value as JSON, cut to 200 characters (event data can be large). */
function short(value: unknown): string | null {
  if (value === undefined) return null
  const json = JSON.stringify(value) ?? null
  return json !== null && json.length > 200 ? `${json.slice(0, 199)}…` : json
}

/** Compiled plans by (plan id, version), least recently used dropped first. Plan ids are never reused. */
export class PlanValidators {
  private readonly cache = new Map<string, CompiledPlan>()

  constructor(private readonly max = 64) {}

  get(planId: number, version: number, rules: () => PlanRule[]): CompiledPlan {
    const key = `${planId}:${version}`
    let plan = this.cache.get(key)
    if (plan) this.cache.delete(key)
    else plan = compilePlan(rules())
    this.put(planId, version, plan, key)
    return plan
  }

  /** Keeps a plan compiled already (the admin API compiles a version to check it before saving it). */
  put(planId: number, version: number, plan: CompiledPlan, key = `${planId}:${version}`): void {
    this.cache.set(key, plan)
    if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!)
  }
}
