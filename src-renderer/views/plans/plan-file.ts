// Plans as files (an unsaved draft's export, in Segment's format), rule labels, and what the Schema
// view's "add to plan" writes.

import type { PlanRule, SegmentPlanFile, SourceSchema, TrackingPlan } from '../../../src-shared/plans'
import { emptyRuleSchema, schemaWithTable, tableOf, type PropertyRow, type RowType, ROW_TYPES } from './rule-table'

export function toPlanFile(plan: Pick<TrackingPlan, 'name' | 'description' | 'rules'>): SegmentPlanFile {
  return { name: plan.name, description: plan.description, rules: plan.rules.map((r) => ({ ...r })) }
}

/** A file name safe on every OS. */
export function planFileName(name: string, version: number): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plan'
  return `${slug}-v${version}.json`
}

/** How a rule is listed: its event name for TRACK, its kind otherwise. */
export function ruleLabel(rule: Pick<PlanRule, 'type' | 'key'>): string {
  if (rule.type === 'TRACK') return rule.key ?? '(unnamed event)'
  return { COMMON: 'Common (every event)', IDENTIFY: 'Identify traits', GROUP: 'Group traits', PAGE: 'Page properties', SCREEN: 'Screen properties' }[rule.type]
}

type ObservedEvent = SourceSchema['events'][number]

/** The schema view lists paths below `properties` (`total`, `items.$.sku`): the table holds the top level. */
function topLevelProperty(path: string): string | null {
  return path !== '' && path !== '$' && !path.includes('.') ? path : null
}

function observedType(types: string[]): RowType {
  const known = types.filter((t) => (ROW_TYPES as readonly string[]).includes(t)) as RowType[]
  if (known.length === 1) return known[0]!
  if (known.length === 2 && known.includes('integer') && known.includes('number')) return 'number'
  return 'any'
}

/**
 * The plan's rules with an observed track event added (or its unplanned properties added to the
 * existing rule). A property seen in every occurrence is marked required.
 */
export function rulesWithObserved(rules: PlanRule[], event: ObservedEvent): PlanRule[] {
  if (event.type !== 'track' || !event.name) return rules
  const index = rules.findIndex((r) => r.type === 'TRACK' && r.key === event.name)
  const existing = index >= 0 ? rules[index] : undefined
  const base = existing ? existing.jsonSchema : emptyRuleSchema('properties')
  const table = tableOf(base, 'properties')
  if (!table) return rules
  const have = new Set(table.rows.map((r) => r.name))
  for (const prop of event.properties) {
    const name = topLevelProperty(prop.path)
    if (name === null || have.has(name)) continue
    have.add(name)
    const row: PropertyRow = { name, type: observedType(prop.types), required: prop.count >= event.count, enum: null, pattern: '', description: '', annotations: {}, advanced: null }
    table.rows.push(row)
  }
  const rule: PlanRule = { ...(existing ?? { type: 'TRACK' as const, key: event.name }), jsonSchema: schemaWithTable(base, table) }
  return existing ? rules.map((r, i) => (i === index ? rule : r)) : [...rules, rule]
}
