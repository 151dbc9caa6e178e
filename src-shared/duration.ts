// Durations as people write them in expectations files and flags: "30s", "2m", "500ms", "1h", or a plain
// number of milliseconds. Callers turn `null` (not a duration) into their own error.

export function durationMs(raw: string | number): number | null {
  if (typeof raw === 'number') return Number.isInteger(raw) && raw >= 0 ? raw : null
  const match = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(raw)
  if (!match) return null
  return Math.round(Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 'ms') as 'ms'])
}
