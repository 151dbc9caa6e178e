// A violations trend as a tiny inline SVG line; the numbers themselves are its accessible name.

import { sparklinePoints } from './violations-url'

const W = 72
const H = 22

export function Sparkline({ trend, per }: { trend: readonly number[]; per: string }) {
  const points = sparklinePoints(trend, W, H)
  return (
    <svg className="sparkline" width={W} height={H} viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`Trend per ${per}, oldest first: ${trend.join(', ')}`}>
      <line x1="0" x2={W} y1={H - 0.5} y2={H - 0.5} className="sparkline-axis" />
      {points && <polyline points={points} className="sparkline-line" />}
    </svg>
  )
}
