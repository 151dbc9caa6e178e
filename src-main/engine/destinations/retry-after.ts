/** Retry-After as seconds or an HTTP date → milliseconds (capped at an hour); null if absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (!header) return null
  const seconds = /^\s*(\d+)\s*$/.exec(header)
  const ms = seconds ? Number(seconds[1]) * 1000 : Date.parse(header) - now
  if (!Number.isFinite(ms)) return null
  return Math.min(Math.max(ms, 0), 3_600_000)
}
