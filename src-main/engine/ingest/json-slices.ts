// Finds where each message of a request sits in the request's text, with its nesting depth, so Loupe can
// store exactly the bytes the client sent without serializing every message again (the hot path of
// ingest: JSON.stringify per message cost as much as parsing the whole request).
//
// Only ever called on text JSON.parse has already accepted, so it skips values without validating them.

import { QUOTE, BACKSLASH, OPEN_OBJECT, CLOSE_OBJECT, OPEN_ARRAY, CLOSE_ARRAY, COMMA, COLON, isSpace, skipSpace } from '../json-text'

export interface Slice {
  start: number
  end: number
  /** Deepest nesting of objects/arrays inside the value (a flat object is 1). */
  depth: number
}

/** The slice of the whole (trimmed) text: a single message's body. */
export function wholeSlice(text: string): Slice {
  const start = skipSpace(text, 0)
  let end = text.length
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--
  return { start, end, depth: skipValue(text, start).depth }
}

/**
 * Slices of the elements of the top-level "batch" array (the last one, as JSON.parse keeps the last of
 * duplicate keys), or null if the body has no batch array.
 */
export function batchSlices(text: string): Slice[] | null {
  let i = skipSpace(text, 0)
  if (text.charCodeAt(i) !== OPEN_OBJECT) return null
  i = skipSpace(text, i + 1)
  let found: Slice[] | null = null
  while (i < text.length && text.charCodeAt(i) !== CLOSE_OBJECT) {
    const keyEnd = skipString(text, i)
    const rawKey = text.slice(i + 1, keyEnd - 1)
    // An escaped key ("ba\u0074ch") is still "batch" to JSON.parse.
    const isBatch = (rawKey.includes('\\') ? (JSON.parse(text.slice(i, keyEnd)) as string) : rawKey) === 'batch'
    i = skipSpace(text, keyEnd)
    if (text.charCodeAt(i) !== COLON) return null
    i = skipSpace(text, i + 1)
    if (isBatch && text.charCodeAt(i) === OPEN_ARRAY) {
      const elements: Slice[] = []
      i = skipSpace(text, i + 1)
      while (text.charCodeAt(i) !== CLOSE_ARRAY) {
        const value = skipValue(text, i)
        elements.push({ start: i, end: value.end, depth: value.depth })
        i = skipSpace(text, value.end)
        if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1)
        else if (text.charCodeAt(i) !== CLOSE_ARRAY) return null
      }
      found = elements
      i++
    } else {
      i = skipValue(text, i).end
    }
    i = skipSpace(text, i)
    if (text.charCodeAt(i) === COMMA) i = skipSpace(text, i + 1)
  }
  return found
}

function skipValue(text: string, start: number): { end: number; depth: number } {
  const first = text.charCodeAt(start)
  if (first === QUOTE) return { end: skipString(text, start), depth: 0 }
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    let i = start
    while (i < text.length) {
      const c = text.charCodeAt(i)
      if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c)) break
      i++
    }
    return { end: i, depth: 0 }
  }
  let depth = 0
  let max = 0
  let i = start
  while (i < text.length) {
    const c = text.charCodeAt(i)
    if (c === QUOTE) {
      i = skipString(text, i)
      continue
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
      depth++
      if (depth > max) max = depth
    } else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--
      if (depth === 0) return { end: i + 1, depth: max }
    }
    i++
  }
  return { end: text.length, depth: max }
}

/** From an opening quote to just after its closing quote. */
function skipString(text: string, start: number): number {
  let i = start + 1
  for (;;) {
    const quote = text.indexOf('"', i)
    if (quote === -1) return text.length
    let backslashes = 0
    for (let j = quote - 1; j > start && text.charCodeAt(j) === BACKSLASH; j--) backslashes++
    if (backslashes % 2 === 0) return quote + 1
    i = quote + 1
  }
}
