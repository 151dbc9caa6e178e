// An event's `pii` column: its findings as JSON pairs `[pointer, matcher]` (NULL: never scanned, or an ingest
// scan cut short with nothing found; '': scanned, nothing found). An ingest scan cut short at one of the
// detector's bounds after finding something ends with INCOMPLETE, a pair no field can have (pointers start
// with "/"). Delivery scans NULL and incomplete events whole before applying controls, so personal data past
// the bounds never leaves unprotected.

export const INCOMPLETE = '["#","incomplete"]'

/** The scan behind this column looked at every field. */
export function piiComplete(pii: string): boolean {
  return !pii.endsWith(`${INCOMPLETE}]`)
}

/** The findings of a non-empty column, without the INCOMPLETE mark. */
export function piiPairs(pii: string): [string, string][] {
  return (JSON.parse(pii) as [string, string][]).filter((pair) => pair[0] !== '#')
}
