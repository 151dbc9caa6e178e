// Words for tracking-plan violations, shared by the Violations screen, the event detail and the schema panel.

import type { EventRecord } from '../../../src-shared/api'
import type { ViolationKind } from '../../../src-shared/plans'
import type { SourceEnforcement } from '../../../src-shared/enforcement'

const KIND_LABELS: Record<ViolationKind, string> = {
  unplanned_event: 'unplanned event',
  unplanned_property: 'unplanned property',
  missing_required: 'missing required',
  wrong_type: 'wrong type',
  not_allowed: 'value not allowed'
}

export function kindLabel(kind: ViolationKind): string {
  return KIND_LABELS[kind] ?? String(kind).replace(/_/g, ' ')
}

/** A pointer as people read it; the empty pointer is the whole event. */
export function pointerLabel(pointer: string): string {
  return pointer === '' ? '(whole event)' : pointer
}

export const ENFORCEMENT_CHOICES = {
  unplannedEvents: [
    { value: 'allow', label: 'Allow (flag only)' },
    { value: 'block', label: 'Block (quarantine)' }
  ],
  unplannedProperties: [
    { value: 'allow', label: 'Allow (flag only)' },
    { value: 'omit', label: 'Omit from deliveries' }
  ],
  violations: [
    { value: 'allow', label: 'Allow (flag only)' },
    { value: 'block', label: 'Block (quarantine)' },
    { value: 'omit', label: 'Omit the offending fields' }
  ]
} as const satisfies { [K in 'unplannedEvents' | 'unplannedProperties' | 'violations']: readonly { value: SourceEnforcement[K]; label: string }[] }

/** The payload fields the plan named, for the JSON tree: violations, and what delivery leaves out. */
export function validationHighlights(record: Pick<EventRecord, 'validation'>): { pointer: string; label: string }[] {
  const validation = record.validation
  if (!validation) return []
  return [...validation.violations.map((v) => ({ pointer: v.pointer, label: kindLabel(v.kind) })), ...validation.omitted.map((pointer) => ({ pointer, label: 'omitted on delivery' }))]
}
