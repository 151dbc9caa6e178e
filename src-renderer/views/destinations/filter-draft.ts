// A destination filter as the editor holds it: numbers and property lists as text, turned into a
// DestinationFilter (or errors at `filters[i].<field>`, the engine's own paths) on save and preview.

import type { DestinationFilter } from '../../../src-shared/api'

export type FilterAction = DestinationFilter['action']

export const FILTER_ACTIONS: { action: FilterAction; label: string }[] = [
  { action: 'drop', label: 'Drop the event' },
  { action: 'sample', label: 'Sample (keep a percentage)' },
  { action: 'drop_properties', label: 'Drop properties' },
  { action: 'allow_properties', label: 'Only allow properties' }
]

export interface FilterDraft {
  title: string
  if: string
  enabled: boolean
  action: FilterAction
  percent: string
  path: string
  /** Dotted paths, comma or newline separated: `properties.email, context.ip, userId`. */
  fields: string
  sourceIds?: number[]
}

export function emptyFilter(): FilterDraft {
  return { title: '', if: 'all', enabled: true, action: 'drop', percent: '10', path: '', fields: '' }
}

export function filterToDraft(filter: DestinationFilter): FilterDraft {
  const draft: FilterDraft = { ...emptyFilter(), title: filter.title, if: filter.if, enabled: filter.enabled !== false, action: filter.action }
  if (filter.sourceIds) draft.sourceIds = filter.sourceIds
  if (filter.action === 'sample') {
    draft.percent = String(filter.percent)
    draft.path = filter.path ?? ''
  }
  if (filter.action === 'drop_properties' || filter.action === 'allow_properties') draft.fields = formatFieldList(filter.fields)
  return draft
}

export type FilterResult = { filter: DestinationFilter; errors?: undefined } | { filter?: undefined; errors: Record<string, string> }

export function draftToFilter(draft: FilterDraft, index: number): FilterResult {
  const at = (field: string): string => `filters[${index}].${field}`
  const errors: Record<string, string> = {}
  if (draft.title.trim() === '') errors[at('title')] = 'Give the filter a title: the delivery log names it when it drops an event.'
  if (draft.if.trim() === '') errors[at('if')] = 'Write a condition (FQL), or "all" for every event.'
  const base = { title: draft.title.trim(), if: draft.if.trim(), enabled: draft.enabled, ...(draft.sourceIds ? { sourceIds: draft.sourceIds } : {}) }
  let filter: DestinationFilter
  if (draft.action === 'drop') filter = { ...base, action: 'drop' }
  else if (draft.action === 'sample') {
    const percent = Number(draft.percent)
    if (draft.percent.trim() === '' || !Number.isFinite(percent) || percent < 0 || percent > 100) errors[at('percent')] = 'Percent must be a number from 0 to 100.'
    filter = { ...base, action: 'sample', percent, ...(draft.path.trim() ? { path: draft.path.trim() } : {}) }
  } else {
    const fields = parseFieldList(draft.fields)
    if (Object.keys(fields).length === 0) errors[at('fields')] = 'List at least one property, e.g. properties.email.'
    filter = { ...base, action: draft.action, fields }
  }
  return Object.keys(errors).length > 0 ? { errors } : { filter }
}

/** `properties.email, context.ip, userId` → `{ properties: ['email'], context: ['ip'], '': ['userId'] }` ('' is the event itself). */
export function parseFieldList(text: string): Record<string, string[]> {
  const fields: Record<string, string[]> = {}
  for (const item of text.split(/[,\n]/)) {
    const path = item.trim()
    if (!path) continue
    const dot = path.lastIndexOf('.')
    const parent = dot === -1 ? '' : path.slice(0, dot)
    const key = dot === -1 ? path : path.slice(dot + 1)
    if (!key) continue
    const keys = (fields[parent] ??= [])
    if (!keys.includes(key)) keys.push(key)
  }
  return fields
}

export function formatFieldList(fields: Record<string, string[]>): string {
  return Object.entries(fields)
    .flatMap(([parent, keys]) => keys.map((key) => (parent ? `${parent}.${key}` : key)))
    .join(', ')
}

/**
 * The filters complete enough to preview (the half-typed one being edited is left out), with where each
 * came from, so an engine error about `filters[1]` of the preview lands on the right filter.
 */
export function previewableFilters(drafts: readonly FilterDraft[]): { filters: DestinationFilter[]; indexes: number[] } {
  const filters: DestinationFilter[] = []
  const indexes: number[] = []
  drafts.forEach((draft, i) => {
    const result = draftToFilter(draft, i)
    if (!result.filter) return
    filters.push(result.filter)
    indexes.push(i)
  })
  return { filters, indexes }
}

/** `filters[1].if` of a request made from `indexes` → the editor's `filters[3].if`. */
export function remapFilterField(field: string | undefined, indexes: readonly number[]): string | undefined {
  const match = field ? /^filters\[(\d+)\](.*)$/.exec(field) : null
  if (!match) return field
  const original = indexes[Number(match[1])]
  return original === undefined ? field : `filters[${original}]${match[2]}`
}
