// FQL's match() globs: `*` any run (including empty, and including "/"), `?` one character, `[abc]`,
// `[a-z]`, `[^a-z]`, and `\x` for a literal x. The whole string must match, case-sensitively. Matching
// is the two-pointer walk with one backtrack point, so it is O(pattern × text) with no regex to blow up.

type Part = { kind: 'star' } | { kind: 'any' } | { kind: 'char'; cp: number } | { kind: 'class'; negate: boolean; ranges: [number, number][] }

const cache = new Map<string, Part[] | string>()

/** Why `pattern` is not a valid glob, or null when it is. */
export function globError(pattern: string): string | null {
  const compiled = compile(pattern)
  return typeof compiled === 'string' ? compiled : null
}

export function globMatch(text: string, pattern: string): boolean {
  const parts = compile(pattern)
  if (typeof parts === 'string') return false
  const chars = Array.from(text, (c) => c.codePointAt(0)!)
  let p = 0
  let s = 0
  let starP = -1
  let starS = 0
  while (s < chars.length) {
    const part = parts[p]
    if (part && part.kind !== 'star' && matchesOne(part, chars[s]!)) {
      p++
      s++
    } else if (part?.kind === 'star') {
      starP = p++
      starS = s
    } else if (starP >= 0) {
      p = starP + 1
      s = ++starS
    } else return false
  }
  while (parts[p]?.kind === 'star') p++
  return p === parts.length
}

function matchesOne(part: Exclude<Part, { kind: 'star' }>, cp: number): boolean {
  if (part.kind === 'any') return true
  if (part.kind === 'char') return part.cp === cp
  const inside = part.ranges.some(([lo, hi]) => cp >= lo && cp <= hi)
  return inside !== part.negate
}

function compile(pattern: string): Part[] | string {
  const hit = cache.get(pattern)
  if (hit !== undefined) return hit
  const result = build(Array.from(pattern, (c) => c.codePointAt(0)!))
  // Patterns come from saved filters, so the set is small; the cap only guards against churn.
  if (cache.size > 1000) cache.clear()
  cache.set(pattern, result)
  return result
}

const STAR = 0x2a
const QUESTION = 0x3f
const OPEN = 0x5b
const CLOSE = 0x5d
const BACKSLASH = 0x5c
const CARET = 0x5e
const DASH = 0x2d

function build(cps: number[]): Part[] | string {
  const parts: Part[] = []
  for (let i = 0; i < cps.length; i++) {
    const cp = cps[i]!
    if (cp === STAR) {
      if (parts[parts.length - 1]?.kind !== 'star') parts.push({ kind: 'star' })
    } else if (cp === QUESTION) parts.push({ kind: 'any' })
    else if (cp === BACKSLASH) {
      if (i + 1 >= cps.length) return '"\\" at the end escapes nothing'
      parts.push({ kind: 'char', cp: cps[++i]! })
    } else if (cp === OPEN) {
      const negate = cps[i + 1] === CARET
      let j = negate ? i + 2 : i + 1
      const ranges: [number, number][] = []
      while (j < cps.length && cps[j] !== CLOSE) {
        let lo = cps[j]!
        if (lo === BACKSLASH) {
          if (j + 1 >= cps.length) break
          lo = cps[++j]!
        }
        let hi = lo
        if (cps[j + 1] === DASH && j + 2 < cps.length && cps[j + 2] !== CLOSE) {
          j += 2
          hi = cps[j]!
          if (hi === BACKSLASH && j + 1 < cps.length) hi = cps[++j]!
          if (hi < lo) return `range "${String.fromCodePoint(lo)}-${String.fromCodePoint(hi)}" runs backwards`
        }
        ranges.push([lo, hi])
        j++
      }
      if (j >= cps.length) return 'unclosed "["'
      if (ranges.length === 0) return 'empty "[]"'
      parts.push({ kind: 'class', negate, ranges })
      i = j
    } else parts.push({ kind: 'char', cp })
  }
  return parts
}
