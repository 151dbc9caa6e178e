// The events table's `protocols` column: what validation at ingest decided, applied on the way out.
// Destinations receive it as Segment does — offending fields left out and `context.protocols` saying so —
// while the stored payload stays what the client sent.

import type { SegmentEvent } from '../destinations/driver'

export interface StoredProtocols {
  /** Absent when the event was held for another reason than its plan (privacy: red data). */
  sourceId?: string
  violations?: { type: string; field: string; description: string }[]
  /** Unplanned fields left out (Segment's names, dotted). */
  omitted?: string[]
  /** Fields left out because they violate the plan. */
  omitted_on_violation?: string[]
  /** Loupe's own record, never delivered. */
  loupe: {
    /** The plan version the event was checked against (null: none, e.g. held only as a blocked event name). */
    planId: number | null
    planVersion: number | null
    /** JSON pointers to delete from the delivered copy. */
    omit?: string[]
    /** Why the event is held in quarantine. */
    blocked?: string
  }
}

/** Leaves out the fields the decision names and records it in `context.protocols`. */
export function applyProtocols(event: SegmentEvent, column: string): void {
  const { loupe, ...delivered } = JSON.parse(column) as StoredProtocols
  for (const pointer of loupe.omit ?? []) removePointer(event as Record<string, unknown>, pointer)
  if (Object.keys(delivered).length === 0) return
  const context = isObject(event.context) ? event.context : (event.context = {})
  const own = isObject(context.protocols) ? context.protocols : {}
  context.protocols = { ...own, ...delivered }
}

/** Pointers into objects only (enforce.ts cuts a pointer into an array at the array's own field). */
function removePointer(target: Record<string, unknown>, pointer: string): void {
  const parts = splitPointer(pointer)
  let node: unknown = target
  for (let i = 0; i < parts.length - 1; i++) {
    node = isObject(node) ? node[parts[i]!] : undefined
    if (node === undefined) return
  }
  const last = parts[parts.length - 1]!
  if (isObject(node) && Object.prototype.hasOwnProperty.call(node, last)) delete node[last]
}

export const splitPointer = (pointer: string): string[] => pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))

export const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
