import { describe, expect, it } from 'vitest'
import { ndjsonBytes } from './ndjson-bytes'

describe('ndjsonBytes', () => {
  it('writes each line and a newline as UTF-8, exactly as encoding the joined text would', () => {
    const cases: string[][] = [
      [],
      [''],
      ['{"a":1}', '{"b":"x"}'],
      // Multi-byte characters everywhere, including at the very end, where an ASCII-sized buffer runs out.
      ['{"name":"Zoë"}', '{"city":"東京"}', '{"emoji":"😀😀😀"}'],
      ['é'.repeat(5000)],
      // A lone surrogate becomes U+FFFD (3 bytes for 1 unit), as Buffer.from writes it.
      ['{"bad":"\ud800"}', 'x'],
      Array.from({ length: 300 }, (_, i) => (i % 7 === 0 ? `{"n":${i},"s":"ü${'ß'.repeat(i % 13)}"}` : `{"n":${i}}`))
    ]
    for (const lines of cases) expect(ndjsonBytes(lines).equals(Buffer.from(lines.map((l) => `${l}\n`).join('')))).toBe(true)
  })
})
