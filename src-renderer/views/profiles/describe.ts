// Definitions in words, for the lists of computed traits and audiences: "sum of properties.revenue over
// Order Completed in the last 30 d", "did Signed In ≥ 2×", "did Refund Requested fewer than 3×".

import type { AudienceCondition, ComputedTraitDefinition } from '../../../src-shared/identity'

const EVERY = 'every track, page and screen'

export interface Part {
  text: string
  /** How the part shows: a path as code, an event name in bold. */
  as?: 'code' | 'strong'
}

/** What a computed trait reads: "count of Order Completed", "sum of properties.revenue over Order Completed". */
export function traitComputes(t: Pick<ComputedTraitDefinition, 'type' | 'event' | 'property'>): Part[] {
  const over: Part = t.event === null ? { text: EVERY } : { text: t.event, as: 'strong' }
  if (t.type === 'count' || !t.property) return [{ text: `${t.type} of ` }, over]
  return [{ text: `${t.type} of ` }, { text: t.property, as: 'code' }, { text: ' over ' }, over]
}

export const partsText = (parts: readonly Part[]): string => parts.map((p) => p.text).join('')

/** One audience condition, short enough for a chip. */
export function describeCondition(c: AudienceCondition, traitName: (id: number) => string): string {
  const value = 'value' in c && c.value !== undefined ? ` ${JSON.stringify(c.value)}` : ''
  switch (c.kind) {
    case 'trait':
      return `${c.key} ${c.op}${value}`
    case 'computed':
      return `${traitName(c.traitId)} ${c.op}${value}`
    case 'event': {
      const n = c.atLeast ?? 1
      const window = c.withinDays === null ? (c.did && n <= 1 ? ' ever' : '') : ` in the last ${c.withinDays} d`
      if (c.did) return `did ${c.event}${n > 1 ? ` ≥ ${n}×` : ''}${window}`
      return n > 1 ? `did ${c.event} fewer than ${n}×${window}` : `never did ${c.event}${window}`
    }
  }
}
