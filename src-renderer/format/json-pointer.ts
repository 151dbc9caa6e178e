// JSON pointers (RFC 6901) — how the engine names a field of a payload in violations and omissions —
// next to the tree's paths, so the payload tree can mark the fields a pointer names.

import type { PathSegment } from './json-path'

export function pointerOf(path: readonly PathSegment[]): string {
  return path.map((segment) => `/${String(segment).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('')
}

export function pointerSegments(pointer: string): string[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((segment) => segment.replace(/~1/g, '/').replace(/~0/g, '~'))
}

/** True when `pointer` names something inside `container` (not the container itself). */
export function isInside(container: string, pointer: string): boolean {
  return pointer.startsWith(`${container}/`)
}

export interface MissingField {
  /** The first key under the container that is not there (the rest of the pointer may go deeper). */
  key: string
  /** The rest of the pointer as written under the container, e.g. `address/city`. */
  rest: string
  pointers: string[]
}

/**
 * Pointers under `container` whose next key the container does not have (a missing required field, say),
 * one entry per absent key, so the tree can show where the field should have been.
 */
export function missingUnder(container: string, keys: ReadonlySet<string>, pointers: readonly string[]): MissingField[] {
  const byKey = new Map<string, MissingField>()
  for (const pointer of pointers) {
    if (!isInside(container, pointer)) continue
    const rest = pointerSegments(pointer.slice(container.length))
    const key = rest[0]!
    if (keys.has(key)) continue
    const entry = byKey.get(key) ?? { key, rest: rest.join('/'), pointers: [] }
    if (rest.length < entry.rest.split('/').length) entry.rest = rest.join('/')
    entry.pointers.push(pointer)
    byKey.set(key, entry)
  }
  return [...byKey.values()]
}
