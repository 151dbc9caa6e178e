// Checks a plan's rules as the admin API receives them (create, edit, import): shape, identity, and that every
// schema compiles. Returns clean rules plus the compiled plan, so the version saved is ready to validate with.

import type { PlanRule, PlanRuleType } from '../../../src-shared/plans'
import { invalid } from './invalid'
import { compilePlan, PlanCompileError, type CompiledPlan } from './validator'

export const RULE_TYPES: readonly PlanRuleType[] = ['COMMON', 'TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN']
/** Segment's own limit is 2,000 rules per plan; a little room for versions of them. */
export const MAX_RULES = 5000

/** How the body names rule i (or one of its fields) in an error: `rules[3].jsonSchema` by default. */
export type RuleField = (index: number, part?: keyof PlanRule) => string

export function validateRules(raw: unknown, field = 'rules', name: RuleField = (i, part) => `${field}[${i}]${part ? `.${part}` : ''}`): { rules: PlanRule[]; compiled: CompiledPlan } {
  if (!Array.isArray(raw)) invalid(field, `${field}: must be a list of rules`)
  if (raw.length > MAX_RULES) invalid(field, `${field}: at most ${MAX_RULES} rules are allowed, got ${raw.length}`)
  const seen = new Set<string>()
  const rules = raw.map((item: unknown, i): PlanRule => {
    const at = name(i)
    if (typeof item !== 'object' || item === null || Array.isArray(item)) invalid(at, `${at}: must be an object`)
    const r = item as Record<string, unknown>
    if (!RULE_TYPES.includes(r.type as PlanRuleType)) invalid(name(i, 'type'), `${name(i, 'type')}: must be one of ${RULE_TYPES.join(', ')}`)
    const type = r.type as PlanRuleType
    const rule: PlanRule = { type, jsonSchema: {} }
    if (type === 'TRACK') {
      if (typeof r.key !== 'string' || r.key.length === 0 || r.key.length > 200) invalid(name(i, 'key'), `${name(i, 'key')}: a TRACK rule needs the event name (1 to 200 characters)`)
      rule.key = r.key
    }
    if (r.version !== undefined && r.version !== null) {
      if (!Number.isInteger(r.version) || (r.version as number) < 1) invalid(name(i, 'version'), `${name(i, 'version')}: must be a whole number from 1`)
      rule.version = r.version as number
    }
    if (typeof r.jsonSchema !== 'object' || r.jsonSchema === null || Array.isArray(r.jsonSchema)) invalid(name(i, 'jsonSchema'), `${name(i, 'jsonSchema')}: must be a JSON Schema object`)
    rule.jsonSchema = r.jsonSchema as Record<string, unknown>
    const id = `${type}\u0000${rule.key ?? ''}\u0000${rule.version ?? 1}`
    if (seen.has(id)) invalid(at, `${at}: a second ${type} rule${rule.key !== undefined ? ` for "${rule.key}"` : ''} at version ${rule.version ?? 1}`)
    seen.add(id)
    return rule
  })
  try {
    return { rules, compiled: compilePlan(rules) }
  } catch (error) {
    if (error instanceof PlanCompileError) invalid(name(error.index, 'jsonSchema'), `${name(error.index, 'jsonSchema')}: ${error.message}`)
    throw error
  }
}
