// The archive's lines made from the stored text say what the parsed path says: for every payload, either
// outgoingLine declines or JSON.parse(line) equals JSON.parse(JSON.stringify(toOutgoingEvent(row))), with
// the same top-level key order. A corpus of odd payloads, then seeded random ones spelled oddly.

import { deepStrictEqual, strictEqual } from 'node:assert'
import { describe, expect, it } from 'vitest'
import type { DestinationFilter } from '../../../src-shared/api'
import type { OutgoingRow } from '../store/destinations'
import { DeliveryRules } from './delivery-rules'
import { toOutgoingEvent } from './outgoing-event'
import { outgoingLine } from './outgoing-line'

const NAMES = ['File', 'Files', 'Archive']
const T = Date.UTC(2026, 0, 2, 3, 4, 5, 678)

function row(payload: string, extra: Partial<OutgoingRow> = {}): OutgoingRow {
  return { id: 1, source_id: 1, type: 'track', message_id: 'm-1', received_at: T, timestamp: T - 5, original_timestamp: null, sent_at: T - 2, payload, quarantine: 0, protocols: null, pii: '', ...extra }
}

/** The rows' variants Loupe stores: with or without originalTimestamp, sentAt, a messageId of its own. */
function variants(payload: string): OutgoingRow[] {
  return [
    row(payload),
    row(payload, { original_timestamp: T - 9, sent_at: null }),
    row(payload, { type: 'identify', message_id: 'other "id" \u2028 é', timestamp: T }),
    row(payload, { message_id: 'ab', received_at: T + 86_400_000 })
  ]
}

/** What the parsed path writes, read back. */
function parsedPath(r: OutgoingRow): unknown {
  return JSON.parse(JSON.stringify(toOutgoingEvent(r)))
}

/** Checks the property; answers whether the fast path made a line. */
function check(r: OutgoingRow, names: readonly string[] | null = NAMES): boolean {
  const line = outgoingLine(r, names)
  if (line === null) return false
  expect(line).not.toMatch(/[\n\r]/)
  const got = JSON.parse(line) as Record<string, unknown>
  const want = parsedPath(r) as Record<string, unknown>
  deepStrictEqual(got, want, `payload ${r.payload}\nline    ${line}`)
  deepStrictEqual(Object.keys(got), Object.keys(want), `key order of ${r.payload}`)
  return true
}

// Each of these must take the fast path (a line), not only be declined correctly.
const TAKEN = [
  '{}',
  '{"type":"track","event":"Signed Up","userId":"u1","properties":{"plan":"pro","n":3},"messageId":"m-1","timestamp":"2026-01-02T03:04:05.673Z"}',
  '{"event":"x","writeKey":"wk_secret","properties":{}}',
  '{"writeKey":"wk_secret"}',
  '{"timestamp":"2026-01-02T03:04:05.673Z","integrations":{},"type":"track","context":{"library":{"name":"analytics-node"}},"messageId":"m-1","_metadata":{"a":1}}',
  // Whitespace everywhere, also inside nested values: tidied, never carried into the line.
  ' {\n  "event" : "x",\r\n\t"properties": {\n    "a": [1, 2, {"b": null}],\n    "c": "d e"\n  },\n  "userId":"u"\n}\n ',
  // Unicode and escapes kept as spelled (they parse to the same strings).
  '{"event":"caf\\u00e9 \\"quoted\\" \\\\ back\\/slash \\n","properties":{"emoji":"😀 \\ud83d\\ude00","rtl":"\u2028\u2029"}}',
  // Numbers as clients spell them.
  '{"properties":{"a":1.0,"b":1e3,"c":1E-2,"d":-0,"e":-0.0,"f":1e400,"g":-1e400,"h":-1e-400,"i":123456789012345678901234567890,"j":0.1,"k":-12.5e+1}}',
  '{"n":1e400,"z":-0,"m":-0.5,"o":10}',
  // __proto__ is an ordinary key to JSON.parse.
  '{"__proto__":{"polluted":true},"properties":{"__proto__":{"x":1},"constructor":{"prototype":1}}}',
  // Loupe's fields present, in odd places, with other values and types.
  '{"receivedAt":"yesterday","sentAt":"2020-01-01T00:00:00.000Z","originalTimestamp":"client","timestamp":12345,"type":"page","messageId":7}',
  '{"originalTimestamp":"first","timestamp":{"a":[1,2]}}',
  '{"originalTimestamp":"first","event":"e"}',
  '{"timestamp":null,"originalTimestamp":null}',
  '{"timestamp" : "2026-01-02T03:04:05.673Z" , "sentAt":"2026-01-02T03:04:05.676Z"}',
  // Escaped spellings of special keys are the same keys.
  '{"wr\\u0069teKey":"wk","ty\\u0070e":"track","\\u0069ntegrations":{"File":true}}',
  // integrations that leave this destination on.
  '{"integrations":{"All":false,"Files":true}}',
  '{"integrations":{"Archive":{"some":"options"}}}',
  '{"integrations":null}',
  '{"integrations":[false]}',
  // Nested duplicates: JSON.parse keeps the last, so does whoever reads the line.
  '{"properties":{"a":1,"a":2}}',
  // A huge string and many members.
  `{"properties":{"big":"${'x'.repeat(200_000)}"}}`,
  `{${Array.from({ length: 40 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  // Keys that need escaping when written.
  '{"a\\"b":1,"":2,"c\\\\d":{"":""}}'
]

// Declined: the parsed path decides.
const DECLINED = [
  '[]',
  '"text"',
  'null',
  '{"a":1,"a":2}',
  '{"type":"a","ty\\u0070e":"b"}',
  '{"writeKey":"a","writeKey":"b"}',
  '{"b":1,"1":2}',
  '{"0":"x"}',
  '{"integrations":{"File":false}}',
  '{"integrations":{"All":false}}',
  '{"integrations":{"All":false,"Files":1,"File":false}}',
  `{${Array.from({ length: 80 }, (_, i) => `"k${i}":${i}`).join(',')}}`,
  // Not JSON (never stored so): declined, and the parsed path reports it as before.
  '{"a":1',
  '{"a":"unterminated}',
  '{"a":1}x',
  '{"a":"raw\nbreak"}'
]

describe('outgoing lines from the stored text', () => {
  it('makes the line the parsed path would write, in its key order', () => {
    for (const payload of TAKEN) for (const r of variants(payload)) expect(check(r), payload).toBe(true)
  })

  it('declines payloads it cannot copy safely', () => {
    for (const payload of DECLINED) for (const r of variants(payload)) expect(outgoingLine(r, NAMES), payload).toBeNull()
  })

  it('writes numbers as the parsed path writes them, whatever the client spelled', () => {
    const payload = '{"event":"e","properties":{"big":12345678901234567890,"one":1.0,"half":1.50,"tiny":0.0000001,"small":0.000123,"plain":42,"price":18.99,"nested":[2.0,{"x":-3.10}]}}'
    const r = row(payload)
    const line = outgoingLine(r, NAMES)!
    expect(line).not.toBeNull()
    // Byte for byte the parsed path's properties: readers other than JavaScript's tell 1.0 from 1 and keep every digit.
    expect(line).toContain(`"properties":${JSON.stringify(toOutgoingEvent(r).properties)}`)
    expect(line).toContain('"big":12345678901234567000,"one":1,"half":1.5,"tiny":1e-7,"small":0.000123,"plain":42,"price":18.99,"nested":[2,{"x":-3.1}]')
  })

  it('ignores integrations on a replay, as the parsed path does', () => {
    const r = row('{"integrations":{"File":false},"event":"e"}')
    expect(check(r, null)).toBe(true)
    expect(JSON.parse(outgoingLine(r, null)!).integrations).toEqual({ File: false })
  })

  it('agrees with the parsed path on seeded random payloads spelled oddly', () => {
    const random = mulberry32(9)
    let taken = 0
    for (let n = 0; n < 3000; n++) {
      const payload = spell(randomObject(random, 0, true), random)
      for (const r of variants(payload)) if (check(r)) taken++
    }
    // Most are taken (duplicates and index keys are declined).
    expect(taken).toBeGreaterThan(3000 * 4 * 0.5)
  })

  it('is used by the delivery rules only when no rule needs the parsed event', () => {
    const payload = '{"event":"e","context":{"consent":{"categoryPreferences":{"ads":false}}},"properties":{"email":"a@b.c"}}'
    const plain = new DeliveryRules({ filters: [], consentCategories: [] }, NAMES)
    strictEqual(plain.line(row(payload)), outgoingLine(row(payload), NAMES))
    expect(plain.line(row(payload))).not.toBeNull()
    // Quarantined or shaped by the tracking plan: prepare() decides.
    expect(plain.line(row(payload, { quarantine: -1 }))).toBeNull()
    expect(plain.line(row(payload, { quarantine: 3 }))).toBeNull()
    expect(plain.line(row(payload, { protocols: '{"omit":["properties.email"]}' }))).toBeNull()
    // Consent categories or an enabled filter look inside events.
    expect(new DeliveryRules({ filters: [], consentCategories: ['ads'] }, NAMES).line(row(payload))).toBeNull()
    const filter: DestinationFilter = { title: 'no x', if: 'event = "x"', action: 'drop' }
    expect(new DeliveryRules({ filters: [filter], consentCategories: [] }, NAMES).line(row(payload))).toBeNull()
    expect(new DeliveryRules({ filters: [{ ...filter, enabled: false }], consentCategories: [] }, NAMES).line(row(payload))).not.toBeNull()
    // An integrations object turning the destination off: declined, and prepare() filters it with its reason.
    const off = row('{"integrations":{"Files":false}}')
    expect(plain.line(off)).toBeNull()
    expect(plain.prepare(off).filtered).toBe('integrations object turns this destination off')
    expect(plain.line(off, 'replay')).not.toBeNull()
  })
})

// ---- random payloads -----------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json } | { entries: [string, Json][] }

function mulberry32(seed: number): () => number {
  let a = seed
  return () => {
    a = (a + 0x6d2b79f5) | 0
    let t = Math.imul(a ^ (a >>> 15), 1 | a)
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const KEYS = ['type', 'messageId', 'timestamp', 'originalTimestamp', 'sentAt', 'receivedAt', 'writeKey', 'integrations', 'event', 'userId', 'properties', 'context', '__proto__', 'a', 'b', 'é', 'x y', '7', 'constructor']
const STRINGS = ['', 'plain', 'caf\u00e9', 'quote"', 'back\\slash', 'line\nbreak', 'tab\t', '\u2028', '😀', '\u0000', '2026-01-02T03:04:05.673Z']
const NUMBERS = ['0', '-0', '1', '1.0', '1e3', '1E+3', '-1e-400', '1e400', '-12.50', '0.1', '123456789012345678901234567890', '-0.0e0']

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!
}

/** An object as entries (so duplicates survive until spelled). */
function randomObject(random: () => number, depth: number, top = false): Json {
  const entries: [string, Json][] = []
  const count = Math.floor(random() * (top ? 9 : 5))
  for (let i = 0; i < count; i++) entries.push([pick(random, KEYS), randomValue(random, depth + 1)])
  return { entries }
}

function randomValue(random: () => number, depth: number): Json {
  const r = random()
  if (depth > 3 || r < 0.5) {
    const s = random()
    if (s < 0.3) return pick(random, STRINGS)
    if (s < 0.6) return { entries: [['#number', pick(random, NUMBERS)]] }
    if (s < 0.8) return random() < 0.5
    return null
  }
  if (r < 0.75) return Array.from({ length: Math.floor(random() * 4) }, () => randomValue(random, depth + 1))
  return randomObject(random, depth)
}

/** JSON text with random whitespace and string escapes. */
function spell(value: Json, random: () => number): string {
  const space = (): string => (random() < 0.15 ? pick(random, [' ', '\n', '\r\n', '\t', '  ']) : '')
  const str = (s: string): string => {
    let out = '"'
    for (const ch of s) {
      const code = ch.codePointAt(0)!
      if (ch === '"' || ch === '\\') out += `\\${ch}`
      else if (code < 0x20 || random() < 0.1) out += ch.split('').map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
      else out += ch
    }
    return `${out}"`
  }
  const go = (v: Json): string => {
    if (v === null) return 'null'
    if (typeof v === 'boolean') return String(v)
    if (typeof v === 'number') return String(v)
    if (typeof v === 'string') return str(v)
    if (Array.isArray(v)) return `[${space()}${v.map((x) => go(x) + space()).join(`,${space()}`)}]`
    const entries = (v as { entries: [string, Json][] }).entries
    if (entries.length === 1 && entries[0]![0] === '#number') return entries[0]![1] as string
    return `{${space()}${entries.map(([k, x]) => `${str(k)}${space()}:${space()}${go(x)}`).join(`${space()},${space()}`)}${space()}}`
  }
  return `${space()}${go(value)}${space()}`
}
