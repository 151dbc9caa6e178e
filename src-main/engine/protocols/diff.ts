// What changed between two versions of a plan: rules added and removed (by Segment's type, key, version) and,
// for rules in both, the JSON pointers inside their schema that differ.

import { isDeepStrictEqual } from 'node:util'
import type { PlanDiff, PlanRule, PlanRuleRef } from '../../../src-shared/plans'

/** Paths reported per changed rule at most (a rewritten schema would otherwise list every leaf). */
const MAX_PATHS = 200

export function diffRules(planId: number, from: { version: number; rules: PlanRule[] }, to: { version: number; rules: PlanRule[] }): PlanDiff {
  const before = byRef(from.rules)
  const after = byRef(to.rules)
  const diff: PlanDiff = { planId, from: from.version, to: to.version, added: [], removed: [], changed: [] }
  for (const [id, rule] of after) {
    const old = before.get(id)
    if (!old) diff.added.push(ref(rule))
    else {
      const paths: string[] = []
      schemaPaths(old.jsonSchema, rule.jsonSchema, '', paths)
      if (paths.length > 0) diff.changed.push({ ...ref(rule), paths })
    }
  }
  for (const [id, rule] of before) if (!after.has(id)) diff.removed.push(ref(rule))
  return diff
}

const ref = (r: PlanRule): PlanRuleRef => ({ type: r.type, ...(r.key !== undefined ? { key: r.key } : {}), version: r.version ?? 1 })
const byRef = (rules: PlanRule[]) => new Map(rules.map((r) => [`${r.type}\u0000${r.key ?? ''}\u0000${r.version ?? 1}`, r]))

/** Objects are compared key by key; anything else (arrays included: `required`, `enum`) as a whole. */
function schemaPaths(a: unknown, b: unknown, path: string, out: string[]): void {
  if (out.length >= MAX_PATHS) return
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) schemaPaths(a[key], b[key], `${path}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, out)
  } else if (!isDeepStrictEqual(a, b)) out.push(path)
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
