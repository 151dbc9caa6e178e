// A draft tracking plan from observed traffic (schema-view.ts): one TRACK rule per event name, IDENTIFY and
// GROUP from traits, PAGE and SCREEN from properties (all names of a call type share one rule, as in Segment).
// The draft is built to accept the very stream it came from: every seen path is declared with every seen
// type, and a property is required only where the counts prove each occurrence's parent held it.

import type { CreatePlanRequest, PlanRule, PlanRuleType } from '../../../src-shared/plans'
import type { ObservedEvent, ObservedProperty, ObservedStream, ObservedType, PathSegment } from './schema-view'

const DRAFT_07 = 'http://json-schema.org/draft-07/schema#'

export interface InferOptions {
  name: string
  description?: string
  /** Share of a parent's occurrences a property must appear in to be required (0 < t ≤ 1). */
  requiredThreshold: number
}

interface Node {
  types: Set<ObservedType>
  occurrences: number
  /** Occurrences as an object (children's required-ness is measured against these). */
  objects: number
  example?: ObservedProperty['example']
  children: Map<string, Node>
  items?: Node
}

const RULE_OF: Record<string, { type: PlanRuleType; field: 'properties' | 'traits' } | undefined> = {
  track: { type: 'TRACK', field: 'properties' },
  identify: { type: 'IDENTIFY', field: 'traits' },
  group: { type: 'GROUP', field: 'traits' },
  page: { type: 'PAGE', field: 'properties' },
  screen: { type: 'SCREEN', field: 'properties' }
}

const ORDER: PlanRuleType[] = ['TRACK', 'IDENTIFY', 'GROUP', 'PAGE', 'SCREEN']

export function inferPlan(stream: ObservedStream, options: InferOptions): CreatePlanRequest {
  // Rule key → the merged tree of what its events carried; the root stands for the properties/traits object.
  const rules = new Map<string, { rule: { type: PlanRuleType; key?: string; field: 'properties' | 'traits' }; root: Node; count: number }>()
  for (const event of stream.events) {
    const kind = RULE_OF[event.type]
    // A track without a name cannot be keyed; alias has no schema in Segment's plans.
    if (!kind || (kind.type === 'TRACK' && !event.name)) continue
    const key = kind.type === 'TRACK' ? `TRACK\u0000${event.name}` : kind.type
    let entry = rules.get(key)
    if (!entry) {
      entry = { rule: { type: kind.type, key: kind.type === 'TRACK' ? event.name! : undefined, field: kind.field }, root: newNode(), count: 0 }
      rules.set(key, entry)
    }
    entry.count += event.count
    mergeEvent(entry.root, event)
  }
  const out: PlanRule[] = [...rules.values()]
    .sort((a, b) => ORDER.indexOf(a.rule.type) - ORDER.indexOf(b.rule.type) || (a.rule.key ?? '').localeCompare(b.rule.key ?? ''))
    .map(({ rule, root, count }) => {
      // The root object is "there" in every occurrence only when each event carried its children; the
      // top-level properties are measured against the event count.
      root.objects = count
      const fieldSchema = objectSchema(root, options.requiredThreshold)
      const jsonSchema: Record<string, unknown> = {
        $schema: DRAFT_07,
        type: 'object',
        properties: Object.fromEntries([[rule.field, { type: 'object', ...fieldSchema }]])
      }
      return rule.key === undefined ? { type: rule.type, jsonSchema } : { type: rule.type, key: rule.key, jsonSchema }
    })
  return { name: options.name, description: options.description ?? `Inferred from ${stream.scanned} events.`, rules: out }
}

function newNode(): Node {
  return { types: new Set(), occurrences: 0, objects: 0, children: new Map() }
}

function mergeEvent(root: Node, event: ObservedEvent): void {
  // Parents come before children in path order, but a child may be seen without its parent listed first:
  // nodes are created on the way down either way.
  for (const property of event.properties) {
    const node = descend(root, property.segments)
    for (const type of property.types) node.types.add(type)
    node.occurrences += property.occurrences
    node.objects += property.objects
    node.example ??= property.example
  }
}

function descend(root: Node, segments: PathSegment[]): Node {
  let node = root
  for (const segment of segments) {
    if (segment === null) node = node.items ??= newNode()
    else {
      let child = node.children.get(segment)
      if (!child) node.children.set(segment, (child = newNode()))
      node = child
    }
  }
  return node
}

/** `properties` and `required` of an object node (its `type` is set by the caller). */
function objectSchema(node: Node, threshold: number): Record<string, unknown> {
  const properties = [...node.children.entries()].sort(([a], [b]) => a.localeCompare(b))
  // Required only when, among the parent's object occurrences, the child is present often enough. A key
  // occurs at most once per object, so at threshold 1 this proves presence in every object seen.
  const required = properties.filter(([, child]) => node.objects > 0 && child.occurrences >= threshold * node.objects && child.occurrences <= node.objects).map(([key]) => key)
  // fromEntries defines own properties: an attacker's `__proto__` key stays a plain key.
  const schema: Record<string, unknown> = { properties: Object.fromEntries(properties.map(([key, child]) => [key, valueSchema(child, threshold)])) }
  if (required.length > 0) schema.required = required
  return schema
}

function valueSchema(node: Node, threshold: number): Record<string, unknown> {
  const types = [...node.types]
  // Whole numbers and fractions under one name are one "number"; integer alone stays integer.
  const merged = types.includes('number') ? types.filter((t) => t !== 'integer') : types
  merged.sort()
  const schema: Record<string, unknown> = {}
  if (merged.length === 1) schema.type = merged[0]
  else if (merged.length > 1) schema.type = merged
  if (merged.includes('object')) Object.assign(schema, objectSchema(node, threshold))
  if (merged.includes('array') && node.items) schema.items = valueSchema(node.items, threshold)
  if (node.example && node.example.value !== null && node.example.type !== 'object' && node.example.type !== 'array') schema.examples = [node.example.value]
  return schema
}
