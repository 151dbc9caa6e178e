// The events table's `protocols` column: what validation at ingest decided, applied on the way out.
// Destinations receive it as Segment does — offending fields left out and `context.protocols` saying so —
// while the stored payload stays what the client sent.

import type { SegmentEvent } from '../destinations/driver'

export interface StoredProtocols {
  sourceId: string
  violations: { type: string; field: string; description: string }[]
  /** Unplanned fields left out (Segment's names, dotted). */
  omitted?: string[]
  /** Fields left out because they violate the plan. */
  omitted_on_violation?: string[]
  /** JSON pointers to delete from the delivered payload (Loupe's own, not delivered). */
  omit?: string[]
  /** Why the event is held in quarantine (Loupe's own, not delivered). */
  blocked?: string
}

/** Leaves out the fields the decision names and records it in `context.protocols`. */
export function applyProtocols(event: SegmentEvent, column: string): void {
  const stored = JSON.parse(column) as StoredProtocols
  const { omit, blocked: _blocked, ...delivered } = stored
  for (const pointer of omit ?? []) removePointer(event as Record<string, unknown>, pointer)
  const context = isObject(event.context) ? event.context : (event.context = {})
  const own = isObject(context.protocols) ? context.protocols : {}
  context.protocols = { ...own, ...delivered }
}

function removePointer(target: Record<string, unknown>, pointer: string): void {
  const parts = pointer.slice(1).split('/').map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
  let node: unknown = target
  for (let i = 0; i < parts.length - 1; i++) {
    node = isObject(node) ? node[parts[i]!] : Array.isArray(node) ? node[Number(parts[i])] : undefined
    if (node === undefined) return
  }
  const last = parts[parts.length - 1]!
  if (isObject(node) && Object.prototype.hasOwnProperty.call(node, last)) delete node[last]
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v)
