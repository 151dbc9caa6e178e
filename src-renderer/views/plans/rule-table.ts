// A rule's JSON Schema as the editor's property table, and back. Only the property list of one section
// (`properties.properties` for track/page/screen, `properties.traits` for identify/group) is rewritten:
// everything else in the schema is carried over untouched, and a property the table cannot express is
// kept as an "advanced" row whose schema is never changed by the table.

import type { PlanRuleType } from '../../../src-shared/plans'

export const ROW_TYPES = ['any', 'string', 'number', 'integer', 'boolean', 'object', 'array', 'null'] as const
export type RowType = (typeof ROW_TYPES)[number]

export interface PropertyRow {
  name: string
  type: RowType
  required: boolean
  /** Allowed values; null when any value of the type goes. */
  enum: (string | number | boolean)[] | null
  pattern: string
  description: string
  /** Annotations (examples, title, …): no column of their own, no effect on validation, written back as found. */
  annotations: Record<string, unknown>
  /** The property's schema as found, when the table cannot express it: written back exactly. */
  advanced: { schema: unknown } | null
}

export interface RuleTable {
  /** Which top-level property of the message the rows describe. */
  section: 'properties' | 'traits'
  rows: PropertyRow[]
  /** Required names with no property schema (valid JSON Schema, not a row): kept as they were. */
  extraRequired: string[]
}

type Json = Record<string, unknown>

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v)
const SIMPLE_KEYS = new Set(['type', 'description', 'enum', 'pattern'])
/** Keywords that never change what validates (inference writes `examples`). */
const ANNOTATION_KEYS = new Set(['examples', 'title', '$comment', 'default', 'deprecated', 'readOnly', 'writeOnly'])

export function sectionOf(type: PlanRuleType): 'properties' | 'traits' | null {
  if (type === 'TRACK' || type === 'PAGE' || type === 'SCREEN') return 'properties'
  if (type === 'IDENTIFY' || type === 'GROUP') return 'traits'
  return null
}

/** The skeleton Segment's editor writes for a new rule. */
export function emptyRuleSchema(section: 'properties' | 'traits'): Json {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { [section]: { type: 'object', properties: {}, required: [] } }
  }
}

export function emptyRow(): PropertyRow {
  return { name: '', type: 'string', required: false, enum: null, pattern: '', description: '', annotations: {}, advanced: null }
}

function enumFits(values: unknown[], type: RowType): values is (string | number | boolean)[] {
  if (values.length === 0) return false
  return values.every((v) => {
    if (type === 'string') return typeof v === 'string' && v === v.trim() && v !== '' && !v.includes(',')
    if (type === 'number') return typeof v === 'number' && Number.isFinite(v)
    if (type === 'integer') return typeof v === 'number' && Number.isInteger(v)
    if (type === 'boolean') return typeof v === 'boolean'
    return false
  })
}

/** A property schema as a row, or null when the table's columns cannot say exactly the same thing. */
function simpleRow(name: string, schema: unknown, required: boolean): PropertyRow | null {
  if (!isObject(schema)) return null
  if (Object.keys(schema).some((k) => !SIMPLE_KEYS.has(k) && !ANNOTATION_KEYS.has(k))) return null
  const { type, description, enum: values, pattern } = schema
  if (type !== undefined && !(typeof type === 'string' && (ROW_TYPES as readonly string[]).includes(type) && type !== 'any')) return null
  const rowType = (type ?? 'any') as RowType
  if (description !== undefined && (typeof description !== 'string' || description === '')) return null
  if (pattern !== undefined && (typeof pattern !== 'string' || pattern === '' || rowType !== 'string')) return null
  if (values !== undefined && !(Array.isArray(values) && enumFits(values, rowType))) return null
  return {
    name,
    type: rowType,
    required,
    enum: values === undefined ? null : [...(values as (string | number | boolean)[])],
    pattern: (pattern as string | undefined) ?? '',
    description: (description as string | undefined) ?? '',
    annotations: structuredClone(Object.fromEntries(Object.entries(schema).filter(([k]) => ANNOTATION_KEYS.has(k)))),
    advanced: null
  }
}

/**
 * The table of a rule's schema, or null when the section itself is not a plain object schema (a `$ref`,
 * `oneOf`, non-object `properties`…): then only the raw JSON editor can change the rule.
 */
export function tableOf(schema: Json, section: 'properties' | 'traits'): RuleTable | null {
  const top = schema.properties
  if (top !== undefined && !isObject(top)) return null
  const sub = isObject(top) ? top[section] : undefined
  if (sub === undefined) return { section, rows: [], extraRequired: [] }
  if (!isObject(sub)) return null
  const props = sub.properties ?? {}
  const required = sub.required ?? []
  if (!isObject(props) || !Array.isArray(required) || !required.every((r) => typeof r === 'string')) return null
  const requiredSet = new Set(required as string[])
  const rows = Object.entries(props).map(([name, propSchema]) => {
    const isRequired = requiredSet.has(name)
    return simpleRow(name, propSchema, isRequired) ?? { ...emptyRow(), name, required: isRequired, advanced: { schema: propSchema } }
  })
  return { section, rows, extraRequired: (required as string[]).filter((r) => !Object.hasOwn(props, r)) }
}

function rowSchema(row: PropertyRow): unknown {
  if (row.advanced) return structuredClone(row.advanced.schema)
  // Keywords first, annotations after: a stable key order keeps version diffs to what changed.
  const out: Json = {}
  if (row.type !== 'any') out.type = row.type
  if (row.description !== '') out.description = row.description
  if (row.enum && row.enum.length > 0) out.enum = [...row.enum]
  if (row.pattern !== '' && row.type === 'string') out.pattern = row.pattern
  return Object.assign(out, structuredClone(row.annotations))
}

/** The schema with the table's rows written into its section; every other key is kept as it was. */
export function schemaWithTable(original: Json, table: RuleTable): Json {
  const schema = structuredClone(original)
  const top = isObject(schema.properties) ? schema.properties : undefined
  const hadSection = top !== undefined && isObject(top[table.section])
  if (!hadSection && table.rows.length === 0 && table.extraRequired.length === 0) return schema
  if (!hadSection && schema.type === undefined) schema.type = 'object'
  const properties: Json = top ?? {}
  schema.properties = properties
  const sub: Json = hadSection ? (properties[table.section] as Json) : { type: 'object' }
  properties[table.section] = sub

  const props: Json = {}
  for (const row of table.rows) props[row.name] = rowSchema(row)
  sub.properties = props

  // Keep the original order of required names, new ones after, so an untouched table changes nothing.
  const wanted = new Set([...table.rows.filter((r) => r.required).map((r) => r.name), ...table.extraRequired])
  const before = Array.isArray(sub.required) ? (sub.required as string[]) : []
  const required = [...before.filter((n) => wanted.has(n)), ...[...wanted].filter((n) => !before.includes(n))]
  if (required.length > 0 || Array.isArray(sub.required) || !hadSection) sub.required = required
  return schema
}

export interface RowProblem {
  index: number
  field: 'name' | 'enum' | 'pattern'
  message: string
}

/** What stops the table from being saved, per cell. */
export function rowProblems(rows: PropertyRow[]): RowProblem[] {
  const problems: RowProblem[] = []
  const seen = new Set<string>()
  rows.forEach((row, index) => {
    if (row.name.trim() === '') problems.push({ index, field: 'name', message: 'A property needs a name' })
    else if (seen.has(row.name)) problems.push({ index, field: 'name', message: `“${row.name}” is listed twice` })
    seen.add(row.name)
    if (row.advanced) return
    if (row.pattern !== '') {
      try {
        new RegExp(row.pattern, 'u')
      } catch {
        problems.push({ index, field: 'pattern', message: 'Not a valid regular expression' })
      }
    }
    if (row.enum && !enumFits(row.enum, row.type)) problems.push({ index, field: 'enum', message: `Allowed values must all be ${row.type === 'any' ? 'of one type (pick one)' : `${row.type}s`}` })
  })
  return problems
}

/** The first example of a property (inference writes one), as a hint beside its type. */
export function exampleOf(row: PropertyRow): string | null {
  const examples = row.annotations.examples
  return Array.isArray(examples) && examples.length > 0 ? JSON.stringify(examples[0]) : null
}

/** Allowed values as the text of their cell: comma-separated. */
export function formatEnum(values: PropertyRow['enum']): string {
  return values ? values.map(String).join(', ') : ''
}

/** The cell's text as allowed values of the row's type; values that do not parse stay strings (and are flagged). */
export function parseEnum(text: string, type: RowType): PropertyRow['enum'] {
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p !== '')
  if (parts.length === 0) return null
  return parts.map((p) => {
    if (type === 'number' || type === 'integer') return p !== '' && Number.isFinite(Number(p)) ? Number(p) : p
    if (type === 'boolean') return p === 'true' ? true : p === 'false' ? false : p
    return p
  })
}
