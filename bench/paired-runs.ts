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

export interface PairedSummary {
  /** B ÷ A events/s of each pair of neighbouring runs (1–2, 3–4, …). */
  pairRatios: number[]
  /** The median of pairRatios: what a target is checked on. */
  ratio: number
  /** Events/s over all A runs and all B runs. */
  perSec: { A: number; B: number }
}

/** The A/B result of runs taken in pairs (A B B A A B …): each B against the A next to it, and the median. */
export function pairedSummary<R extends { acked: number; load: { seconds: number } }>(runs: R[], side: (run: R) => 'A' | 'B'): PairedSummary {
  const speed = (run: R): number => run.acked / run.load.seconds
  const pairRatios: number[] = []
  for (let i = 0; i + 1 < runs.length; i += 2) {
    const [a, b] = side(runs[i]!) === 'A' ? [runs[i]!, runs[i + 1]!] : [runs[i + 1]!, runs[i]!]
    pairRatios.push(speed(b) / speed(a))
  }
  const rate = (which: 'A' | 'B'): number => {
    const mine = runs.filter((r) => side(r) === which)
    return mine.reduce((n, r) => n + r.acked, 0) / mine.reduce((n, r) => n + r.load.seconds, 0)
  }
  return { pairRatios, ratio: median(pairRatios), perSec: { A: rate('A'), B: rate('B') } }
}
