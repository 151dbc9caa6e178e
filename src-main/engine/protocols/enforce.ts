// What enforcement makes of one event's violations, per its source's settings (Segment Protocols' schema
// configuration): hold it in quarantine, or leave fields out of what is delivered. The stored payload is
// never touched; the decision travels with the event as its `protocols` column (protocols-column.ts).
// Decisions are made on the whole violation list (not the capped one that is stored), so junk properties
// cannot push a real violation out of sight.

import type { SourceEnforcement } from '../../../src-shared/enforcement'
import type { Violation, ViolationKind } from '../../../src-shared/plans'
import { isObject, splitPointer, type StoredProtocols } from './protocols-column'

/** Segment's violation type strings (context.protocols.violations[].type, Violation Generated's violationType). */
export const SEGMENT_VIOLATION_TYPE: Record<ViolationKind, string> = {
  unplanned_event: 'Unplanned Event',
  unplanned_property: 'Unplanned Property',
  missing_required: 'Required',
  wrong_type: 'Invalid Type',
  not_allowed: 'Invalid Value'
}

/** `/properties/total` → `properties.total` (Segment names fields with dots). */
export const fieldOf = (pointer: string): string => (pointer === '' ? '(root)' : splitPointer(pointer).join('.'))

const escape = (s: string): string => s.replace(/~/g, '~0').replace(/\//g, '~1')

/**
 * The field to leave out for a violation at `pointer`: the field itself when its parent is an object; the
 * array holding it when the violation is inside an array (Segment omits properties, not array items);
 * null when nothing can be left out (a top-level field such as type or event, or the whole message).
 */
function omittedField(message: Record<string, unknown>, pointer: string): string | null {
  const parts = splitPointer(pointer)
  let node: unknown = message
  for (let i = 0; i < parts.length; i++) {
    if (!isObject(node)) return i >= 2 ? `/${parts.slice(0, i).map(escape).join('/')}` : null
    node = node[parts[i]!]
  }
  return parts.length >= 2 ? pointer : null
}

const SCHEMA_KINDS: ReadonlySet<ViolationKind> = new Set(['missing_required', 'wrong_type', 'not_allowed'])

export interface Decision {
  held: boolean
  /** The stored decision (null when there is nothing to record: a clean event that is not blocked). */
  protocols: StoredProtocols | null
}

export interface DecisionInput {
  sourceId: number
  type: string
  name: string | null
  /** Every violation found (not capped). */
  violations: Violation[]
  /** The subset stored and delivered in context.protocols. */
  kept: Violation[]
  plan: { id: number; version: number } | null
  message: Record<string, unknown>
}

export function decide(input: DecisionInput, settings: SourceEnforcement): Decision {
  const { violations, message } = input
  let blocked: string | null = null
  if (input.type === 'track' && input.name !== null && settings.blockedEvents.includes(input.name)) blocked = `"${input.name}" is a blocked event of this source`
  const omit = new Set<string>()
  const omitted = new Set<string>()
  const omittedOnViolation = new Set<string>()
  const leaveOut = (pointer: string, into: Set<string>): void => {
    const field = omittedField(message, pointer)
    if (field === null || omit.has(field)) return
    omit.add(field)
    into.add(fieldOf(field))
  }
  for (const v of violations) {
    if (v.kind === 'unplanned_event') {
      if (settings.unplannedEvents === 'block') blocked ??= 'unplanned event (enforcement: block unplanned events)'
    } else if (v.kind === 'unplanned_property') {
      if (settings.unplannedProperties === 'omit') leaveOut(v.pointer, omitted)
    } else if (SCHEMA_KINDS.has(v.kind)) {
      if (settings.violations === 'block') blocked ??= `${v.message} (enforcement: block events with violations)`
      // A missing field has nothing to leave out.
      else if (settings.violations === 'omit' && v.kind !== 'missing_required') leaveOut(v.pointer, omittedOnViolation)
    }
  }
  if (violations.length === 0 && blocked === null) return { held: false, protocols: null }
  return {
    held: blocked !== null,
    protocols: {
      sourceId: String(input.sourceId),
      violations: input.kept.map((v) => ({ type: SEGMENT_VIOLATION_TYPE[v.kind], field: fieldOf(v.pointer), description: v.message })),
      ...(omitted.size > 0 ? { omitted: [...omitted] } : {}),
      ...(omittedOnViolation.size > 0 ? { omitted_on_violation: [...omittedOnViolation] } : {}),
      loupe: {
        planId: input.plan?.id ?? null,
        planVersion: input.plan?.version ?? null,
        ...(omit.size > 0 ? { omit: [...omit] } : {}),
        ...(blocked !== null ? { blocked } : {})
      }
    }
  }
}
