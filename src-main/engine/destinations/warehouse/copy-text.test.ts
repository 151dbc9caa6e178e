// The COPY text encoder: exact escaping, and round trips through a real PostgreSQL (test-postgres.ts) with the
// strings an attacker would send — nothing may end a field or a row early.

import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { copyIn } from './copy-in'
import { copyChunks, copyField } from './copy-text'
import type { WarehouseValue } from './flatten'
import { startTestPostgres, type TestPostgres } from './test-postgres'

describe('copyField', () => {
  it('escapes what COPY text reads specially, and nothing else', () => {
    expect(copyField('plain é 😀')).toBe('plain é 😀')
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e')
    // The end-of-data marker and a literal "\N" stay text: their backslash is doubled.
    expect(copyField('\\.')).toBe('\\\\.')
    expect(copyField('\\N')).toBe('\\\\N')
    // PostgreSQL text cannot hold NUL in any spelling: it is dropped.
    expect(copyField('a\u0000b\u0000')).toBe('ab')
  })

  it('writes null, missing values, numbers and booleans as PostgreSQL reads them', () => {
    expect(copyField(null)).toBe('\\N')
    expect(copyField(undefined)).toBe('\\N')
    expect(copyField(12.5)).toBe('12.5')
    expect(copyField(-0.000001)).toBe('-0.000001')
    expect(copyField(1e21)).toBe('1e+21')
    expect(copyField(Number.NaN)).toBe('\\N')
    expect(copyField(Number.POSITIVE_INFINITY)).toBe('\\N')
    expect(copyField(true)).toBe('true')
    expect(copyField(false)).toBe('false')
  })
})

describe('copyChunks', () => {
  it('makes one line per row and one field per column, whatever the values hold', () => {
    const rows: Record<string, WarehouseValue>[] = [
      { id: 'a', x: 'one\ttwo\nthree', y: 1 },
      { id: 'b\r\n', y: null },
      { id: 'c', x: '\\', y: true }
    ]
    const text = copyChunks(rows, ['id', 'x', 'y']).map((b) => b.toString('utf8')).join('')
    const lines = text.split('\n')
    expect(lines.pop()).toBe('')
    expect(lines.map((line) => line.split('\t'))).toEqual([
      ['a', 'one\\ttwo\\nthree', '1'],
      ['b\\r\\n', '\\N', '\\N'],
      ['c', '\\\\', 'true']
    ])
  })

  it('cuts chunks at row ends, and makes room for a row longer than a chunk', () => {
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: `r${i}`, v: i === 20 ? 'é'.repeat(500) : 'x'.repeat(30) }))
    const chunks = copyChunks(rows, ['id', 'v'], 100)
    expect(chunks.length).toBeGreaterThan(10)
    for (const chunk of chunks) expect(chunk.toString('utf8').endsWith('\n')).toBe(true)
    expect(chunks.map((b) => b.toString('utf8')).join('').split('\n')).toHaveLength(51)
  })
})

describe('COPY text through a real PostgreSQL', () => {
  let db: TestPostgres
  let pool: pg.Pool

  beforeAll(async () => {
    db = await startTestPostgres()
    pool = db.pool(2)
  })
  afterAll(async () => {
    await db?.destroy()
  })

  /** Copies rows into a fresh table of (id text, v text, n double precision, b boolean) and reads them back. */
  async function roundTrip(rows: Record<string, WarehouseValue>[], chunk?: number): Promise<Record<string, unknown>[]> {
    const client = await pool.connect()
    try {
      await client.query('DROP TABLE IF EXISTS round_trip')
      await client.query('CREATE TABLE round_trip (id text PRIMARY KEY, v text, n double precision, b boolean)')
      const copied = await copyIn(client, 'COPY round_trip (id, v, n, b) FROM STDIN', copyChunks(rows, ['id', 'v', 'n', 'b'], chunk))
      expect(copied).toBe(rows.length)
      return (await client.query('SELECT id, v, n, b FROM round_trip ORDER BY id')).rows
    } finally {
      client.release()
    }
  }

  const HOSTILE = [
    'tab\there',
    'new\nline',
    'carriage\rreturn\r\n',
    'back\\slash\\',
    '\\.',
    '\\.\n\\.',
    '\\N',
    '\\t\\n',
    '\\x41\\101',
    '"quoted" \'single\' ,comma;',
    '',
    ' ',
    'emoji 😀 combining é zero-width \u200b line-sep \u2028 bom \ufeff',
    '日本語のテキスト',
    'x\ty\tz\nid-9\tinjected\t1\tt'
  ]

  it('reads back every hostile string exactly, as one field of one row', async () => {
    const rows = HOSTILE.map((v, i) => ({ id: `id-${String(i).padStart(2, '0')}`, v, n: i, b: i % 2 === 0 }))
    expect(await roundTrip(rows)).toEqual(rows)
  })

  it('keeps null, a missing value and the string "\\N" apart', async () => {
    expect(await roundTrip([
      { id: 'a', v: null, n: null, b: null },
      { id: 'b' },
      { id: 'c', v: '\\N', n: 0, b: false }
    ])).toEqual([
      { id: 'a', v: null, n: null, b: null },
      { id: 'b', v: null, n: null, b: null },
      { id: 'c', v: '\\N', n: 0, b: false }
    ])
  })

  it('drops NUL instead of failing the load', async () => {
    expect(await roundTrip([{ id: 'nul\u0000', v: '\u0000a\u0000b\u0000', n: 1, b: true }])).toEqual([{ id: 'nul', v: 'ab', n: 1, b: true }])
  })

  it('writes a lone surrogate (not UTF-8) as U+FFFD', async () => {
    expect(await roundTrip([{ id: 'a', v: 'x\ud800y\udc00', n: 1, b: true }])).toEqual([{ id: 'a', v: 'x\ufffdy\ufffd', n: 1, b: true }])
  })

  it('round-trips numbers exactly', async () => {
    const numbers = [0, -0.5, 12.5, 0.1 + 0.2, 1e21, -1e-300, Number.MAX_SAFE_INTEGER, Number.MAX_VALUE, Number.MIN_VALUE]
    const rows = numbers.map((n, i) => ({ id: `n${i}`, v: null, n, b: null }))
    expect((await roundTrip(rows)).map((r) => r.n)).toEqual(numbers)
  })

  it('reads back very long strings spanning many chunks, tabs and newlines included', async () => {
    const long = 'a\tb\nc\\d\re😀'.repeat(200_000)
    const rows = [
      { id: 'long-1', v: long, n: 1, b: true },
      { id: 'long-2', v: 'short', n: 2, b: false },
      { id: 'long-3', v: `${long}\\`, n: 3, b: null }
    ]
    const back = await roundTrip(rows, 1024)
    expect(back.map((r) => r.id)).toEqual(['long-1', 'long-2', 'long-3'])
    expect(back[0]!.v === long).toBe(true)
    expect(back[2]!.v === `${long}\\`).toBe(true)
    expect(back[1]).toEqual(rows[1])
  })

  it('a hostile value cannot add columns or rows', async () => {
    // What an injection would try: end the field and the row, then write a row of its own (or end the data).
    const attacks = [
      'x\t999\tt\nevil\tinjected\t1\tt',
      'x\\\t999\\\ttrue',
      'x\r\nevil\t\\N\t\\N\t\\N',
      'x\n\\.\n',
      'x\\',
      '\\'
    ]
    const rows = attacks.map((v, i) => ({ id: `attack-${i}`, v, n: i, b: true }))
    const back = await roundTrip(rows)
    expect(back).toEqual(rows)
    expect((await db.query('SELECT count(*)::int AS n FROM round_trip')).rows[0].n).toBe(attacks.length)
  })

  /** COPYs `rows` into a temp table of (id text, v varchar(3), pad text) that refuses one of them. */
  async function expectRefused(rows: Record<string, string>[], chunk?: number): Promise<void> {
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('CREATE TEMP TABLE short_text (id text, v varchar(3), pad text)')
      await expect(copyIn(client, 'COPY short_text (id, v, pad) FROM STDIN', copyChunks(rows, ['id', 'v', 'pad'], chunk))).rejects.toThrow(/value too long/)
      await client.query('ROLLBACK')
      // The connection is usable again.
      expect((await client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }])
    } finally {
      client.release()
    }
  }

  it('a refused value fails the COPY with PostgreSQL’s error and leaves the connection usable', async () => {
    await expectRefused(Array.from({ length: 5000 }, (_, i) => ({ id: `r${i}`, v: i === 4000 ? 'too long' : 'ok', pad: '' })), 1024)
  })

  it('a value refused while data is still being sent fails the COPY cleanly', async () => {
    // ~40 MB: the server refuses row 10 long before it has read the last chunk.
    const pad = 'p'.repeat(400)
    await expectRefused(Array.from({ length: 100_000 }, (_, i) => ({ id: `r${i}`, v: i === 10 ? 'too long' : 'ok', pad })))
  })

  it('a COPY the server refuses before any data fails cleanly too', async () => {
    const client = await pool.connect()
    try {
      await expect(copyIn(client, 'COPY no_such_table (id) FROM STDIN', copyChunks([{ id: 'a' }], ['id']))).rejects.toThrow(/does not exist/)
      expect((await client.query('SELECT 3 AS three')).rows).toEqual([{ three: 3 }])
    } finally {
      client.release()
    }
  })
})
