// Character codes and whitespace of JSON text, for the scanners that read stored or received JSON without
// parsing it (ingest/json-slices.ts finds each message of a request; routing/outgoing-line.ts copies a stored
// payload's members).

export const QUOTE = 34
export const BACKSLASH = 92
export const OPEN_OBJECT = 123
export const CLOSE_OBJECT = 125
export const OPEN_ARRAY = 91
export const CLOSE_ARRAY = 93
export const COMMA = 44
export const COLON = 58
export const MINUS = 45
export const DOT = 46
export const DIGIT_0 = 48
export const DIGIT_9 = 57
export const LOWER_E = 101
export const UPPER_E = 69

/** JSON's four whitespace characters (RFC 8259): space, line feed, carriage return, tab. */
export function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9
}

/** The first index at or after `i` that is not JSON whitespace. */
export function skipSpace(text: string, i: number): number {
  while (i < text.length && isSpace(text.charCodeAt(i))) i++
  return i
}
