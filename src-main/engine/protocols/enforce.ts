// What enforcement makes of one event's violations, per its source's settings (Segment Protocols' schema
// configuration): hold it in quarantine, or leave fields out of what is delivered. The stored payload is
// never touched; the decision travels with the event as its `protocols` column (protocols-column.ts).

import type { SourceEnforcement } from '../../../src-shared/enforcement'
import type { Violation, ViolationKind } from '../../../src-shared/plans'
import type { StoredProtocols } from './protocols-column'

/** Segment's violation type strings (context.protocols.violations[].type, Violation Generated's violationType). */
export const SEGMENT_VIOLATION_TYPE: Record<ViolationKind, string> = {
  unplanned_event: 'Unplanned Event',
  unplanned_property: 'Unplanned Property',
  missing_required: 'Required',
  wrong_type: 'Invalid Type',
  not_allowed: 'Invalid Value'
}

/** `/properties/total` → `properties.total` (Segment names fields with dots). */
export const fieldOf = (pointer: string): string => (pointer === '' ? '(root)' : pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.'))

/** Only fields inside an object can be left out: a top-level field (type, event, userId) or the whole message cannot. */
const omittable = (pointer: string): boolean => pointer.lastIndexOf('/') > 0

const SCHEMA_KINDS: ReadonlySet<ViolationKind> = new Set(['missing_required', 'wrong_type', 'not_allowed'])

export interface Decision {
  held: boolean
  /** The stored decision (null when there is nothing to record: a clean event that is not blocked). */
  protocols: StoredProtocols | null
}

export function decide(sourceId: number, name: string | null, violations: Violation[], settings: SourceEnforcement): Decision {
  let blocked: string | null = null
  if (name !== null && settings.blockedEvents.includes(name)) blocked = `"${name}" is a blocked event of this source`
  const omit: string[] = []
  const omitted: string[] = []
  const omittedOnViolation: string[] = []
  for (const v of violations) {
    if (v.kind === 'unplanned_event') {
      if (settings.unplannedEvents === 'block') blocked ??= 'unplanned event (enforcement: block unplanned events)'
    } else if (v.kind === 'unplanned_property') {
      if (settings.unplannedProperties === 'omit' && omittable(v.pointer)) {
        omit.push(v.pointer)
        omitted.push(fieldOf(v.pointer))
      }
    } else if (SCHEMA_KINDS.has(v.kind)) {
      if (settings.violations === 'block') blocked ??= `${v.message} (enforcement: block events with violations)`
      // A missing field has nothing to leave out.
      else if (settings.violations === 'omit' && v.kind !== 'missing_required' && omittable(v.pointer)) {
        omit.push(v.pointer)
        omittedOnViolation.push(fieldOf(v.pointer))
      }
    }
  }
  if (violations.length === 0 && blocked === null) return { held: false, protocols: null }
  return {
    held: blocked !== null,
    protocols: {
      sourceId: String(sourceId),
      violations: violations.map((v) => ({ type: SEGMENT_VIOLATION_TYPE[v.kind], field: fieldOf(v.pointer), description: v.message })),
      ...(omitted.length > 0 ? { omitted } : {}),
      ...(omittedOnViolation.length > 0 ? { omitted_on_violation: omittedOnViolation } : {}),
      ...(omit.length > 0 ? { omit } : {}),
      ...(blocked !== null ? { blocked } : {})
    }
  }
}
