// Geometry of the deliveries chart (plain SVG): stacked bars of delivered / failed per bucket, and
// the p95 latency as a polyline over the same buckets, each on its own scale.

import type { DeliveryMetrics } from '../../../src-shared/api'

export interface Bar {
  x: number
  width: number
  delivered: { y: number; height: number }
  failed: { y: number; height: number }
  bucket: DeliveryMetrics['buckets'][number]
}

export interface ChartGeometry {
  bars: Bar[]
  maxCount: number
  maxP95: number
  /** SVG polyline points of p95 (buckets without attempts are skipped). */
  p95Points: string
  /** The same points, for dots (a lone point draws no line). */
  p95Dots: { x: number; y: number }[]
}

type Bucket = DeliveryMetrics['buckets'][number]

/**
 * Every bucket of the range, in order: the engine returns only buckets that had attempts, and a chart
 * of those alone would stretch one busy minute across the whole width.
 */
export function fillBuckets(buckets: readonly Bucket[], sinceMs: number, untilMs: number, bucketMs: number): Bucket[] {
  const byKey = new Map(buckets.map((b) => [Math.floor(Date.parse(b.at) / bucketMs), b]))
  const first = Math.floor(sinceMs / bucketMs)
  const last = Math.floor(untilMs / bucketMs)
  const filled: Bucket[] = []
  for (let key = first; key <= last; key++) {
    filled.push(byKey.get(key) ?? { at: new Date(key * bucketMs).toISOString(), delivered: 0, failed: 0, retries: 0, filtered: 0, p95Ms: null })
  }
  return filled
}

export function niceMax(value: number): number {
  if (value <= 0) return 1
  const power = 10 ** Math.floor(Math.log10(value))
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power
  return 10 * power
}

export function chartGeometry(buckets: DeliveryMetrics['buckets'], width: number, height: number): ChartGeometry {
  const maxCount = niceMax(Math.max(0, ...buckets.map((b) => b.delivered + b.failed)))
  const maxP95 = niceMax(Math.max(0, ...buckets.map((b) => b.p95Ms ?? 0)))
  const slot = buckets.length > 0 ? width / buckets.length : width
  const gap = slot > 4 ? Math.min(2, slot * 0.2) : 0
  const scale = (n: number): number => (n / maxCount) * height
  const bars = buckets.map((bucket, i) => {
    const dh = scale(bucket.delivered)
    const fh = scale(bucket.failed)
    return {
      x: i * slot + gap / 2,
      width: Math.max(0, slot - gap),
      delivered: { y: height - dh, height: dh },
      failed: { y: height - dh - fh, height: fh },
      bucket
    }
  })
  const p95Dots = buckets.flatMap((b, i) => (b.p95Ms === null ? [] : [{ x: round(i * slot + slot / 2), y: round(height - (b.p95Ms / maxP95) * height) }]))
  const p95Points = p95Dots.map((p) => `${p.x},${p.y}`).join(' ')
  return { bars, maxCount, maxP95, p95Points, p95Dots }
}

function round(n: number): number {
  return Math.round(n * 10) / 10
}
