// What the detail pane hides of a payload: red and yellow findings' fields, shown as their masked samples
// until someone asks to see them. The stored payload is what the client sent; hiding is the UI's job.

import type { Finding } from '../../src-shared/privacy'
import type { JsonObject, JsonValue } from '../../src-shared/segment'
import { pointerSegments } from '../format/json-pointer'
import type { JsonHighlight } from './json-tree'

/** Pointer → the masked sample to show instead, for the findings the UI hides by default (red, yellow). */
export function maskedPointers(findings: readonly Finding[]): Map<string, string> {
  const masked = new Map<string, string>()
  for (const f of findings) if (f.classification !== 'green' && f.pointer !== '' && !masked.has(f.pointer)) masked.set(f.pointer, f.sample)
  return masked
}

/** The findings as marks of the payload tree, coloured by class. */
export function findingHighlights(findings: readonly Finding[]): JsonHighlight[] {
  return findings.map((f) => ({ pointer: f.pointer, label: `${f.classification} · ${f.matcher}`, tone: `pii-field pii-${f.classification}` }))
}

/** A copy of the payload with the masked fields replaced (the raw JSON view while not revealed). */
export function maskPayload(payload: JsonObject, masked: ReadonlyMap<string, string>): JsonObject {
  if (masked.size === 0) return payload
  const copy = structuredClone(payload)
  for (const [pointer, sample] of masked) {
    const segments = pointerSegments(pointer)
    const last = segments.pop()
    if (last === undefined) continue
    let parent: JsonValue | undefined = copy
    for (const segment of segments) parent = step(parent, segment)
    if (Array.isArray(parent)) {
      const index = Number(last)
      if (Number.isInteger(index) && index >= 0 && index < parent.length) parent[index] = sample
    } else if (parent && typeof parent === 'object' && Object.prototype.hasOwnProperty.call(parent, last)) {
      parent[last] = sample
    }
  }
  return copy
}

function step(value: JsonValue | undefined, segment: string): JsonValue | undefined {
  if (Array.isArray(value)) return value[Number(segment)]
  if (value && typeof value === 'object' && Object.prototype.hasOwnProperty.call(value, segment)) return value[segment]
  return undefined
}
