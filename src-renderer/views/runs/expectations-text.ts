// The Expectations panel's pasted text → an expectations file. YAML is a superset of JSON, so one parser
// takes both; the engine checks the matchers themselves and names the bad field.

import { parse } from 'yaml'
import type { ExpectationsFile } from '../../../src-shared/qa'

export type ParsedExpectations = { ok: true; file: ExpectationsFile } | { ok: false; error: string }

export const EXAMPLE_EXPECTATIONS = `expect:
  - name: checkout
    match:
      type: track
      event: Order Completed
      where:
        - { path: properties.total, equals: 10 }
    count: 1
`

export function parseExpectationsText(text: string): ParsedExpectations {
  if (text.trim() === '') return { ok: false, error: 'Paste an expectations file (JSON or YAML) first.' }
  let value: unknown
  try {
    value = parse(text)
  } catch (error) {
    return { ok: false, error: `Not valid JSON or YAML: ${(error as Error).message.split('\n')[0]}` }
  }
  // a bare list is the `expect` part alone: the quickest thing to paste
  if (Array.isArray(value)) return { ok: true, file: { expect: value as ExpectationsFile['expect'] } }
  if (typeof value !== 'object' || value === null) return { ok: false, error: 'expect: the file must be an object with an `expect` list (or the list itself).' }
  if (!Array.isArray((value as { expect?: unknown }).expect)) return { ok: false, error: 'expect: missing, or not a list of expected events.' }
  return { ok: true, file: value as ExpectationsFile }
}
