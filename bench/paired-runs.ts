// What the A/B benchmark sections (plans, privacy, the ingest table) share: the median of their paired
// ratios, and the stored count once requests cut off at the end of a load have settled.

import type { EngineTarget } from './targets'

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2
}

/** Waits until requests cut off at the end of a load have settled, then returns the stored count. */
export async function settledCount(engine: EngineTarget): Promise<number> {
  let last = (await engine.stats()).stored
  for (let i = 0; i < 40; i++) {
    await new Promise((resolve) => setTimeout(resolve, 250))
    const now = (await engine.stats()).stored
    if (now === last) return now
    last = now
  }
  throw new Error('the stored event count did not settle')
}
