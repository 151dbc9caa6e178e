// Delivered / failed events per time bucket and the p95 latency, as plain SVG. Refreshed while open.

import { useEffect, useState } from 'react'
import type { DeliveryMetrics } from '../../../src-shared/api'
import { api } from '../../api/client'
import { errorMessage } from '../../api/api-error'
import { formatCount } from '../../format/numbers'
import { formatClock, formatDuration } from '../../format/time'
import { chartGeometry, fillBuckets } from './chart-geometry'
import { FormError } from '../../components/form-error'

const RANGES = [
  { id: '15m', label: '15 min', spanMs: 15 * 60_000, bucketMs: 30_000, per: '30 s' },
  { id: '1h', label: '1 hour', spanMs: 3_600_000, bucketMs: 60_000, per: 'minute' },
  { id: '24h', label: '24 hours', spanMs: 86_400_000, bucketMs: 30 * 60_000, per: '30 min' }
] as const
const REFRESH_MS = 10_000
const W = 600
const H = 110

/** `cursor`: the destination's delivery cursor; when it moves there is something new to chart. */
export function MetricsChart({ id, cursor }: { id: number; cursor: number }) {
  const [rangeId, setRangeId] = useState<(typeof RANGES)[number]['id']>('1h')
  const [metrics, setMetrics] = useState<{ data: DeliveryMetrics; since: number; until: number } | null>(null)
  const [error, setError] = useState<string | null>(null)
  const range = RANGES.find((r) => r.id === rangeId)!

  useEffect(() => {
    const controller = new AbortController()
    const load = (): void => {
      const until = Date.now()
      const since = until - range.spanMs
      api.metrics(id, new Date(since).toISOString(), range.bucketMs, controller.signal).then(
        (data) => (setMetrics({ data, since, until }), setError(null)),
        (e: unknown) => controller.signal.aborted || setError(errorMessage(e))
      )
    }
    load()
    const timer = setInterval(load, REFRESH_MS)
    return () => (clearInterval(timer), controller.abort())
  }, [id, range.spanMs, range.bucketMs, cursor])

  const buckets = metrics ? fillBuckets(metrics.data.buckets, metrics.since, metrics.until, metrics.data.bucketMs) : []
  const geometry = chartGeometry(buckets, W, H)
  const totals = buckets.reduce((t, b) => ({ delivered: t.delivered + b.delivered, failed: t.failed + b.failed }), { delivered: 0, failed: 0 })

  return (
    <section className="metrics" aria-labelledby="metrics-title">
      <div className="section-title-row">
        <h2 id="metrics-title">
          Last {range.label}: <span className="ok-text">{formatCount(totals.delivered)} delivered</span>, <span className={totals.failed > 0 ? 'danger-text' : 'muted'}>{formatCount(totals.failed)} failed</span>
        </h2>
        <div className="segmented" role="group" aria-label="Chart range">
          {RANGES.map((r) => (
            <button key={r.id} type="button" className={r.id === rangeId ? 'active' : ''} aria-pressed={r.id === rangeId} onClick={() => setRangeId(r.id)}>
              {r.label}
            </button>
          ))}
        </div>
      </div>
      <FormError message={error} />
      <div className="charts">
        <figure className="chart">
          <figcaption>
            Events per {range.per} <span className="legend delivered">delivered</span> <span className="legend failed">failed</span>
          </figcaption>
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label="Delivered and failed events over time">
            <line x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} className="axis" />
            {geometry.bars.map((bar) => (
              <g key={bar.bucket.at}>
                <title>{`${formatClock(bar.bucket.at).slice(0, 8)}: ${bar.bucket.delivered} delivered, ${bar.bucket.failed} failed, ${bar.bucket.retries} retries, ${bar.bucket.filtered} filtered`}</title>
                <rect x={bar.x} width={bar.width} y={bar.delivered.y} height={bar.delivered.height} className="bar-delivered" />
                <rect x={bar.x} width={bar.width} y={bar.failed.y} height={bar.failed.height} className="bar-failed" />
              </g>
            ))}
          </svg>
          <Scale max={formatCount(geometry.maxCount)} buckets={buckets} />
        </figure>
        <figure className="chart">
          <figcaption>p95 latency</figcaption>
          <svg viewBox={`0 0 ${W} ${H}`} preserveAspectRatio="none" role="img" aria-label="95th percentile latency over time">
            <line x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} className="axis" />
            {geometry.p95Points && <polyline points={geometry.p95Points} className="latency-line" vectorEffect="non-scaling-stroke" />}
            {geometry.p95Dots.map((p) => (
              <line key={p.x} x1={p.x} x2={p.x} y1={p.y} y2={p.y} className="latency-dot" vectorEffect="non-scaling-stroke" />
            ))}
          </svg>
          <Scale max={formatDuration(geometry.maxP95)} buckets={buckets} />
        </figure>
      </div>
    </section>
  )
}

function Scale({ max, buckets }: { max: string; buckets: DeliveryMetrics['buckets'] }) {
  return (
    <div className="chart-scale muted">
      <span>{buckets[0] ? formatClock(buckets[0].at).slice(0, 5) : ''}</span>
      <span>max {max}</span>
      <span>{buckets.length > 0 ? formatClock(buckets[buckets.length - 1]!.at).slice(0, 5) : ''}</span>
    </div>
  )
}
