// The whole destination form as state, and its conversion to the engine's request. Every problem is
// keyed by the engine's own field path (`settings.url`, `filters[1].if`, `limits.maxInFlight`…) so a
// client-side check and a server refusal land at the same input.

import { defaultLimits } from '../../../src-shared/default-limits'
import type { ActionSubscription, CreateDestinationRequest, Destination, DestinationFilter, DestinationKind } from '../../../src-shared/api'
import { draftToFilter, filterToDraft, type FilterDraft } from './filter-draft'
import { initialValues, valuesToSettings, type FieldValues, type FormField } from './settings-fields'

export interface SubscriptionDraft extends Omit<ActionSubscription, 'mapping'> {
  mappingText: string
}

export interface DestinationDraft {
  name: string
  kind: DestinationKind
  /** Catalogue slug of an Action destination. */
  slug: string | null
  values: FieldValues
  subscriptions: SubscriptionDraft[]
  sourceIds: number[]
  filters: FilterDraft[]
  /** Comma-separated consent categories. */
  consent: string
  maxInFlight: string
  eventsPerSecond: string
  enabled: boolean
}

export type FieldErrors = Record<string, string>

export function subscriptionToDraft(sub: ActionSubscription): SubscriptionDraft {
  const { mapping, ...rest } = sub
  return { ...rest, mappingText: JSON.stringify(mapping, null, 2) }
}

export function newDraft(kind: DestinationKind, fields: readonly FormField[], options: { name?: string; slug?: string; presets?: ActionSubscription[]; sourceIds?: number[] } = {}): DestinationDraft {
  return {
    name: options.name ?? '',
    kind,
    slug: options.slug ?? null,
    values: initialValues(fields),
    subscriptions: (options.presets ?? []).map(subscriptionToDraft),
    sourceIds: options.sourceIds ?? [],
    filters: [],
    consent: '',
    maxInFlight: String(defaultLimits(kind).maxInFlight),
    eventsPerSecond: '',
    enabled: true
  }
}

export function draftFromDestination(destination: Destination, fields: readonly FormField[]): DestinationDraft {
  const actions = destination.kind === 'actions' ? (destination.settings as { slug: string; settings: Record<string, unknown>; subscriptions: ActionSubscription[] }) : null
  const settings = actions ? actions.settings : (destination.settings as unknown as Record<string, unknown>)
  return {
    name: destination.name,
    kind: destination.kind,
    slug: actions?.slug ?? null,
    values: initialValues(fields, settings),
    subscriptions: (actions?.subscriptions ?? []).map(subscriptionToDraft),
    sourceIds: [...destination.sourceIds],
    filters: (destination.filters ?? []).map(filterToDraft),
    consent: (destination.consentCategories ?? []).join(', '),
    maxInFlight: String(destination.limits?.maxInFlight ?? 1),
    eventsPerSecond: destination.limits?.eventsPerSecond == null ? '' : String(destination.limits.eventsPerSecond),
    enabled: destination.enabled
  }
}

/** Where a setting's errors are reported: Action destinations nest their own settings one level down. */
export function settingPath(kind: DestinationKind, key: string): string {
  return kind === 'actions' ? `settings.settings.${key}` : `settings.${key}`
}

export type DraftResult = { request: CreateDestinationRequest; errors?: undefined } | { request?: undefined; errors: FieldErrors }

export function draftToRequest(draft: DestinationDraft, fields: readonly FormField[]): DraftResult {
  const errors: FieldErrors = {}
  if (draft.name.trim() === '') errors.name = 'Give the destination a name.'

  const values = valuesToSettings(fields, draft.values)
  for (const [key, message] of Object.entries(values.errors)) errors[settingPath(draft.kind, key)] = message

  const subscriptions: ActionSubscription[] = draft.subscriptions.map((sub, i) => {
    const { mappingText, ...rest } = sub
    let mapping: Record<string, unknown> = {}
    try {
      const parsed = JSON.parse(mappingText.trim() || '{}') as unknown
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('the mapping must be a JSON object')
      mapping = parsed as Record<string, unknown>
    } catch (e) {
      errors[`settings.subscriptions[${i}].mapping`] = `Mapping is not a JSON object: ${(e as Error).message}`
    }
    return { ...rest, mapping }
  })

  const filters: DestinationFilter[] = []
  draft.filters.forEach((f, i) => {
    const result = draftToFilter(f, i)
    if (result.errors) Object.assign(errors, result.errors)
    else filters.push(result.filter)
  })

  const maxInFlight = Number(draft.maxInFlight)
  if (!Number.isInteger(maxInFlight) || maxInFlight < 1 || maxInFlight > 16) errors['limits.maxInFlight'] = 'Requests in flight must be a whole number from 1 to 16.'
  const eps = draft.eventsPerSecond.trim() === '' ? null : Number(draft.eventsPerSecond)
  if (eps !== null && (!Number.isFinite(eps) || eps <= 0)) errors['limits.eventsPerSecond'] = 'Events per second must be a positive number, or empty for no limit.'

  if (Object.keys(errors).length > 0) return { errors }
  const settings = draft.kind === 'actions' ? { slug: draft.slug ?? '', settings: values.settings, subscriptions } : values.settings
  return {
    request: {
      name: draft.name.trim(),
      kind: draft.kind,
      settings: settings as unknown as CreateDestinationRequest['settings'],
      enabled: draft.enabled,
      sourceIds: draft.sourceIds,
      filters,
      consentCategories: splitList(draft.consent),
      limits: { maxInFlight, eventsPerSecond: eps }
    }
  }
}

export function splitList(text: string): string[] {
  return [...new Set(text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean))]
}

/**
 * Where an engine error goes: the input with that exact path, else the nearest enclosing one
 * (`settings.headers.X-Key` → `settings.headers`), else the one input whose last segment matches;
 * null means "above the form".
 */
export function placeError(field: string | undefined, known: readonly string[]): string | null {
  if (!field) return null
  if (known.includes(field)) return field
  const enclosing = known.filter((k) => field.startsWith(`${k}.`) || field.startsWith(`${k}[`)).sort((a, b) => b.length - a.length)
  if (enclosing[0]) return enclosing[0]
  const last = field.split('.').pop()!
  const same = known.filter((k) => k.split('.').pop() === last)
  return same.length === 1 ? same[0]! : null
}

/** Every input path the form renders for this draft (for placeError). */
export function knownPaths(draft: DestinationDraft, fields: readonly FormField[]): string[] {
  const paths = ['name', 'sourceIds', 'consentCategories', 'limits.maxInFlight', 'limits.eventsPerSecond', 'enabled']
  for (const f of fields) paths.push(settingPath(draft.kind, f.key))
  draft.subscriptions.forEach((_, i) => paths.push(`settings.subscriptions[${i}].subscribe`, `settings.subscriptions[${i}].mapping`, `settings.subscriptions[${i}].partnerAction`, `settings.subscriptions[${i}].name`))
  draft.filters.forEach((_, i) => paths.push(`filters[${i}].title`, `filters[${i}].if`, `filters[${i}].percent`, `filters[${i}].path`, `filters[${i}].fields`))
  return paths
}
