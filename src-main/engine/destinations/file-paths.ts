// Where the file destination puts an event: `<source>/<YYYY-MM-DD>/` or `<YYYY-MM-DD>/` under the folder,
// the day being the UTC day Loupe received the event (as Segment's archive), and the file name sortable by
// creation time.

import type { FileSettings } from '../../../src-shared/api'

/** Names Windows refuses for a file or folder whatever the extension; a source could be called "con". */
const WINDOWS_RESERVED = /^(con|prn|aux|nul|com\d|lpt\d)$/i

/** A source's name as one path segment: no separators, dots-only names or control characters. */
export function sourceSegment(name: string | null, sourceId: number): string {
  const slug = (name ?? '')
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 80)
    .toLowerCase()
  return slug === '' || WINDOWS_RESERVED.test(slug) ? `source-${sourceId}` : slug
}

/** The UTC day of an event's receivedAt; the current day when it has none (it always has, from the store). */
export function utcDay(receivedAt: unknown, now: number): string {
  if (typeof receivedAt === 'string' && /^\d{4}-\d{2}-\d{2}T/.test(receivedAt)) return receivedAt.slice(0, 10)
  return new Date(now).toISOString().slice(0, 10)
}

export function partitionSegments(partition: FileSettings['partition'], source: string, day: string): string[] {
  return partition === 'day' ? [day] : [source, day]
}

/** `20240102T030405123Z-7.ndjson.gz`: colon-free (Windows) and ordered by creation time in a listing. */
export function fileName(now: number, seq: number, gzip: boolean): string {
  const stamp = new Date(now).toISOString().replace(/[-:.]/g, '')
  return `${stamp}-${seq}.ndjson${gzip ? '.gz' : ''}`
}
