// Near misses: when an assertion fails, the stored events closest to what was expected, from the same run,
// source and time window. The matcher is relaxed a step at a time — without its `where` conditions, then
// without the user, then without the event name, then without the type — and each step's events rank below
// the previous step's: same name with other properties first, then same type (the closest names first), …

import type { EventFinder } from './candidates'
import { differences, type Candidate, type CompiledMatcher } from './matcher'

/** Events read per relaxation step: enough to find the close ones, bounded so a failure answers fast. */
const POOL = 200

export interface RankedMiss {
  candidate: Candidate
  differences: string[]
}

export function findNearMisses(finder: EventFinder, m: CompiledMatcher, exclude: ReadonlySet<number>, max = 5): RankedMiss[] {
  const steps: CompiledMatcher[] = []
  const add = (step: CompiledMatcher): void => {
    if (!steps.some((s) => JSON.stringify(s) === JSON.stringify(step))) steps.push(step)
  }
  const loose: CompiledMatcher = { ...m, where: [] }
  add(loose)
  add({ ...loose, userId: undefined, anonymousId: undefined })
  add({ ...loose, userId: undefined, anonymousId: undefined, event: undefined })
  add({ ...loose, userId: undefined, anonymousId: undefined, event: undefined, types: null })

  const ranked: (RankedMiss & { tier: number; distance: number })[] = []
  const seen = new Set(exclude)
  for (const [tier, step] of steps.entries()) {
    const found: typeof ranked = []
    for (const candidate of finder.find(step, { take: POOL })) {
      if (seen.has(candidate.id)) continue
      seen.add(candidate.id)
      const lines = differences(m, candidate)
      if (lines.length === 0) continue
      const distance = m.event === undefined ? 0 : editDistance(m.event, candidate.name ?? '')
      found.push({ candidate, differences: lines, tier, distance })
    }
    found.sort((a, b) => a.distance - b.distance || a.differences.length - b.differences.length || b.candidate.id - a.candidate.id)
    ranked.push(...found)
    if (ranked.length >= max) break
  }
  return ranked.slice(0, max).map(({ candidate, differences: lines }) => ({ candidate, differences: lines }))
}

/** Levenshtein distance of the first 100 characters (names are attacker-made: the cost stays bounded). */
export function editDistance(a: string, b: string): number {
  const s = a.slice(0, 100)
  const t = b.slice(0, 100)
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j)
  for (let i = 1; i <= s.length; i++) {
    const current = [i]
    for (let j = 1; j <= t.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (s[i - 1] === t[j - 1] ? 0 : 1))
    }
    previous = current
  }
  return previous[t.length]!
}
