// Times as people read them: local clock time in lists, full local date-time in the detail, and
// "3 min ago" for last-seen. Invalid or missing input shows a dash rather than "Invalid Date".

const pad = (n: number, width = 2): string => String(n).padStart(width, '0')

function parse(iso: string | null | undefined): Date | null {
  if (!iso) return null
  const date = new Date(iso)
  return Number.isNaN(date.getTime()) ? null : date
}

/** 14:03:22.123 (local time). */
export function formatClock(iso: string | null | undefined): string {
  const d = parse(iso)
  if (!d) return '—'
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`
}

/** 2024-01-02 14:03:22.123 (local time). */
export function formatDateTime(iso: string | null | undefined): string {
  const d = parse(iso)
  if (!d) return '—'
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${formatClock(iso)}`
}

/** "just now", "12 s ago", "5 min ago", "3 h ago", "2 d ago". */
export function formatRelative(iso: string | null | undefined, now: number = Date.now()): string {
  const d = parse(iso)
  if (!d) return 'never'
  const seconds = Math.round((now - d.getTime()) / 1000)
  if (seconds < 5) return 'just now'
  if (seconds < 60) return `${seconds} s ago`
  const minutes = Math.floor(seconds / 60)
  if (minutes < 60) return `${minutes} min ago`
  const hours = Math.floor(minutes / 60)
  if (hours < 48) return `${hours} h ago`
  return `${Math.floor(hours / 24)} d ago`
}

/** 350 ms, 1.23 s, 2 min 5 s, 3 h 2 min (no sign). */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms)
  if (abs < 1000) return `${Math.round(abs)} ms`
  if (abs < 60_000) return `${(abs / 1000).toFixed(abs < 10_000 ? 2 : 1)} s`
  const totalSeconds = Math.round(abs / 1000)
  if (totalSeconds < 3600) return `${Math.floor(totalSeconds / 60)} min ${totalSeconds % 60} s`
  const totalMinutes = Math.round(totalSeconds / 60)
  if (totalMinutes < 48 * 60) return `${Math.floor(totalMinutes / 60)} h ${totalMinutes % 60} min`
  return `${Math.round(totalMinutes / 1440)} d`
}

/** receivedAt − sentAt in ms: how far the client's clock (plus the network) is behind Loupe's. */
export function clockSkewMs(receivedAt: string | null | undefined, sentAt: string | null | undefined): number | null {
  const received = parse(receivedAt)
  const sent = parse(sentAt)
  if (!received || !sent) return null
  return received.getTime() - sent.getTime()
}

/** +1.23 s, −350 ms, 0 ms. */
export function formatSkew(ms: number | null): string {
  if (ms === null) return 'unknown (no sentAt)'
  if (ms === 0) return '0 ms'
  return `${ms > 0 ? '+' : '−'}${formatDuration(ms)}`
}

/** ISO → the value of an <input type="datetime-local"> (local time, minutes). */
export function toLocalInputValue(iso: string | undefined): string {
  const d = parse(iso)
  if (!d) return ''
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`
}

/** An <input type="datetime-local"> value (local time) → ISO; undefined when empty or invalid. */
export function fromLocalInputValue(value: string): string | undefined {
  if (!value) return undefined
  const d = new Date(value)
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString()
}
