// Segment's tracking-plan file (the Public API's rules) in and out, and "a JSON Schema file per event".

import type { PlanRule, SegmentPlanFile, TrackingPlan } from '../../../src-shared/plans'
import { invalid } from './invalid'
import type { RuleField } from './plan-rules'

export function toSegmentFile(plan: TrackingPlan): SegmentPlanFile {
  return {
    name: plan.name,
    description: plan.description,
    rules: plan.rules.map((r) => ({ ...(r.key !== undefined ? { key: r.key } : {}), type: r.type, version: r.version ?? 1, jsonSchema: r.jsonSchema }))
  }
}

/** What an import body describes, before its rules are checked (plan-rules.ts). */
export interface ImportedPlan {
  name: string
  description: string
  rules: unknown
  /** How errors name a rule: `rules[3].jsonSchema`, or `schemas["Order Completed"]` for a schema per event. */
  field: RuleField
}

export function readImport(body: unknown): ImportedPlan {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) invalid('', 'The body must be a Segment tracking-plan file ({ name, rules }) or { name, schemas }')
  let b = body as Record<string, unknown>
  // The Public API answers wrap the plan in `data` (`data.trackingPlan` for its name); a saved answer imports as is.
  if (b.rules === undefined && b.schemas === undefined && isObject(b.data)) {
    const data = b.data
    const plan = isObject(data.trackingPlan) ? data.trackingPlan : {}
    b = { name: plan.name, description: plan.description, ...data }
  }
  const name = b.name ?? 'Imported plan'
  if (typeof name !== 'string' || name.trim().length === 0 || name.length > 200) invalid('name', 'name: must be a text of 1 to 200 characters')
  const description = b.description ?? ''
  if (typeof description !== 'string' || description.length > 2000) invalid('description', 'description: must be a text of at most 2,000 characters')
  if (b.schemas !== undefined) {
    if (b.rules !== undefined) invalid('schemas', 'schemas: give either rules (Segment’s format) or schemas (one JSON Schema per event), not both')
    if (!isObject(b.schemas)) invalid('schemas', 'schemas: must map each event name to the JSON Schema of its properties')
    const events = Object.keys(b.schemas)
    return { name: name.trim(), description, rules: schemasToRules(b.schemas), field: (i) => `schemas[${JSON.stringify(events[i])}]` }
  }
  if (b.rules === undefined) invalid('rules', 'rules: a Segment tracking-plan file lists its rules')
  return { name: name.trim(), description, rules: b.rules, field: (i, part) => `rules[${i}]${part ? `.${part}` : ''}` }
}

/** Each event's schema is over its properties; as a TRACK rule it sits where Segment keeps them. */
function schemasToRules(schemas: Record<string, unknown>): unknown[] {
  return Object.entries(schemas).map(([event, schema]): unknown =>
    isObject(schema)
      ? ({ type: 'TRACK', key: event, version: 1, jsonSchema: { $schema: 'http://json-schema.org/draft-07/schema#', type: 'object', properties: { properties: schema } } } satisfies PlanRule)
      : { type: 'TRACK', key: event, jsonSchema: schema }
  )
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
