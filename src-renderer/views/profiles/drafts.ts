// Form drafts of computed traits and audiences (every input is text) and the definitions the engine takes.
// Empty means "not set": no event is every event, no window is all time.

import type { Audience, AudienceCondition, AudienceDefinition, ComputedTrait, ComputedTraitDefinition, ComputedTraitType, ConditionOperator } from '../../../src-shared/identity'

export interface TraitDraft {
  name: string
  type: ComputedTraitType
  event: string
  property: string
  windowDays: string
}

export const EMPTY_TRAIT: TraitDraft = { name: '', type: 'count', event: '', property: '', windowDays: '' }

const orNull = (text: string): string | null => (text.trim() === '' ? null : text.trim())
/** A number the engine checks itself: text that is no number goes as is, so the refusal names the field. */
const numberOrText = (text: string): number | null => (text.trim() === '' ? null : Number.isFinite(Number(text)) ? Number(text) : (text as unknown as number))

export function traitDefinition(draft: TraitDraft): ComputedTraitDefinition {
  return { name: draft.name.trim(), type: draft.type, event: orNull(draft.event), property: draft.type === 'count' ? null : orNull(draft.property), windowDays: numberOrText(draft.windowDays) }
}

export function traitDraftOf(trait: ComputedTrait): TraitDraft {
  return { name: trait.name, type: trait.type, event: trait.event ?? '', property: trait.property ?? '', windowDays: trait.windowDays === null ? '' : String(trait.windowDays) }
}

export type ConditionDraft =
  | { kind: 'trait'; key: string; op: ConditionOperator; value: string }
  | { kind: 'computed'; traitId: string; op: ConditionOperator; value: string }
  /** `ever`: any time (no window); otherwise the last `withinDays` days. */
  | { kind: 'event'; event: string; did: boolean; ever: boolean; withinDays: string; atLeast: string }

export interface AudienceDraft {
  name: string
  match: 'all' | 'any'
  conditions: ConditionDraft[]
  sourceId: string
  emitIdentify: boolean
  emitTrack: boolean
}

export const NEW_CONDITION: Record<ConditionDraft['kind'], ConditionDraft> = {
  trait: { kind: 'trait', key: '', op: '=', value: '' },
  computed: { kind: 'computed', traitId: '', op: '>=', value: '' },
  event: { kind: 'event', event: '', did: true, ever: false, withinDays: '30', atLeast: '' }
}

export const EMPTY_AUDIENCE: AudienceDraft = { name: '', match: 'all', conditions: [NEW_CONDITION.trait], sourceId: '', emitIdentify: true, emitTrack: true }

const needsNoValue = (op: ConditionOperator): boolean => op === 'exists' || op === 'not_exists'

/** `true`/`false` are booleans and numeric text a number, as people mean them when comparing traits; the rest is text. */
export function conditionValue(text: string): string | number | boolean {
  const trimmed = text.trim()
  if (trimmed === 'true') return true
  if (trimmed === 'false') return false
  if (trimmed !== '' && /^-?\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed)
  return text
}

const valueText = (value: string | number | boolean | undefined): string => (value === undefined ? '' : String(value))

export function conditionOf(draft: ConditionDraft): AudienceCondition {
  switch (draft.kind) {
    case 'trait':
      return { kind: 'trait', key: draft.key.trim(), op: draft.op, ...(needsNoValue(draft.op) ? {} : { value: conditionValue(draft.value) }) }
    case 'computed':
      return { kind: 'computed', traitId: Number(draft.traitId), op: draft.op, ...(needsNoValue(draft.op) ? {} : { value: conditionValue(draft.value) }) }
    case 'event':
      // Days left empty under "in the last" go as typed, so the engine's refusal names withinDays.
      return { kind: 'event', event: draft.event.trim(), did: draft.did, withinDays: draft.ever ? null : (numberOrText(draft.withinDays) ?? (draft.withinDays as unknown as number)), ...(draft.atLeast.trim() === '' ? {} : { atLeast: numberOrText(draft.atLeast) as number }) }
  }
}

export function audienceDefinition(draft: AudienceDraft): AudienceDefinition {
  const sourceId = draft.sourceId === '' ? null : Number(draft.sourceId)
  return { name: draft.name.trim(), match: draft.match, conditions: draft.conditions.map(conditionOf), sourceId, emitIdentify: draft.emitIdentify, emitTrack: draft.emitTrack }
}

export function audienceDraftOf(audience: Audience): AudienceDraft {
  return {
    name: audience.name,
    match: audience.match,
    sourceId: audience.sourceId === null ? '' : String(audience.sourceId),
    emitIdentify: audience.emitIdentify,
    emitTrack: audience.emitTrack,
    conditions: audience.conditions.map((c): ConditionDraft => {
      switch (c.kind) {
        case 'trait':
          return { kind: 'trait', key: c.key, op: c.op, value: valueText(c.value) }
        case 'computed':
          return { kind: 'computed', traitId: String(c.traitId), op: c.op, value: valueText(c.value) }
        case 'event':
          return { kind: 'event', event: c.event, did: c.did, ever: c.withinDays === null, withinDays: c.withinDays === null ? '30' : String(c.withinDays), atLeast: c.atLeast === undefined ? '' : String(c.atLeast) }
      }
    })
  }
}

/** The draft without its name: what the preview endpoints take. */
export function withoutName<T extends { name: string }>(definition: T): Omit<T, 'name'> {
  const { name: _name, ...rest } = definition
  return rest
}

/** What an audience draft still lacks before it can be previewed, or null. */
export function missingInAudience(draft: AudienceDraft): string | null {
  for (const [i, c] of draft.conditions.entries()) {
    const blank = c.kind === 'trait' ? c.key.trim() === '' : c.kind === 'computed' ? c.traitId === '' : c.event.trim() === ''
    if (blank) return `Condition ${i + 1}: ${c.kind === 'trait' ? 'name a trait' : c.kind === 'computed' ? 'pick a computed trait' : 'name an event'} to see who matches.`
    if (c.kind === 'event' && !c.ever && c.withinDays.trim() === '') return `Condition ${i + 1}: give the number of days, or pick "ever", to see who matches.`
  }
  return null
}
