// Sizes, counts and rates as the top bar and the lists show them. Sizes use 1024 steps, like the
// engine's own warnings ("message is 40 KB > 32 KB").

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const
const counts = new Intl.NumberFormat('en-US')

export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—'
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024
    unit++
  }
  if (unit === 0) return `${value} B`
  // One decimal while it says something (1.4 MB), none once it does not (340 KB).
  const text = value < 10 ? value.toFixed(1) : String(Math.round(value))
  return `${text} ${UNITS[unit]}`
}

export function formatCount(n: number): string {
  return counts.format(n)
}

export function formatRate(perSecond: number): string {
  if (!Number.isFinite(perSecond) || perSecond <= 0) return '0/s'
  if (perSecond < 10) return `${perSecond.toFixed(1)}/s`
  return `${counts.format(Math.round(perSecond))}/s`
}
