// Field paths of assertions: `properties.total`, `context.app.version`, `properties.items[0].sku`.
// Unlike FQL's readPath (routing/fql/evaluate.ts), which reads a missing field as null, an assertion must
// tell "absent" from "null" (`exists: false` vs `equals: null`), so reads answer `undefined` for absent.

const SEGMENT = /^[^.[\]]+$/

/** The segments of a path, or null if it is not a valid path. */
export function parsePath(path: string): string[] | null {
  if (path.length === 0 || path.length > 300) return null
  const segments: string[] = []
  for (const part of path.split('.')) {
    const match = /^([^[\]]*)((?:\[\d{1,9}\])*)$/.exec(part)
    if (!match) return null
    const [, name, indexes] = match
    if (name) {
      if (!SEGMENT.test(name)) return null
      segments.push(name)
    } else if (!indexes || segments.length === 0) return null
    for (const index of indexes!.matchAll(/\[(\d+)\]/g)) segments.push(index[1]!)
  }
  return segments
}

/** The value at a path; undefined when any step is missing. Own properties only (payloads are attacker-made). */
export function readField(root: unknown, segments: readonly string[]): unknown {
  let current: unknown = root
  for (const segment of segments) {
    if (Array.isArray(current)) {
      if (!/^\d+$/.test(segment)) return undefined
      current = current[Number(segment)]
    } else if (current !== null && typeof current === 'object' && Object.prototype.hasOwnProperty.call(current, segment)) {
      current = (current as Record<string, unknown>)[segment]
    } else return undefined
    if (current === undefined) return undefined
  }
  return current
}
