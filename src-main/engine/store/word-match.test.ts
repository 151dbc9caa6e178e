import Database from 'better-sqlite3'
import { describe, expect, it } from 'vitest'
import { ftsMatch, matchesWords, queryWords } from './word-match'

const payloads = [
  '{"event":"Kite","properties":{"sport":"kite"}}',
  '{"event":"Lesson","properties":{"sport":"kitesurf"}}',
  '{"event":"Lesson","properties":{"title":"Kitesurfing lesson","email":"ada@example.com"}}',
  '{"event":"Café visited","properties":{"city":"Zürich"}}',
  '{"event":"Order Completed","properties":{"note":"order_completed"}}'
]

/** The same search through SQLite's FTS5, as the search index runs it. */
function fts(q: string): number[] {
  const db = new Database(':memory:')
  db.exec("CREATE VIRTUAL TABLE f USING fts5(body, content='', contentless_delete=1, prefix='2 3 4')")
  payloads.forEach((p, i) => db.prepare('INSERT INTO f (rowid, body) VALUES (?, ?)').run(i, p))
  const words = queryWords(q)
  const rows = words.length ? (db.prepare('SELECT rowid FROM f WHERE f MATCH ? ORDER BY rowid').pluck().all(ftsMatch(words)) as number[]) : payloads.map((_, i) => i)
  db.close()
  return rows
}

const js = (q: string): number[] => payloads.flatMap((p, i) => (matchesWords(p, queryWords(q)) ? [i] : []))

describe('free-text word matching', () => {
  it.each([
    ['kit', [0, 1, 2]],
    ['kite', [0, 1, 2]],
    ['kites', [1, 2]],
    ['kitesurf', [1, 2]],
    ['kitesurfing', [2]],
    ['KITE', [0, 1, 2]],
    ['ada@exa', [2]],
    ['ada example com', [2]],
    ['example ada', []],
    ['cafe', [3]],
    ['zurich', [3]],
    ['order completed', [4]],
    ['completed order', []],
    ['"', [0, 1, 2, 3, 4]]
  ])('%j matches the same events in JavaScript and in FTS5', (q, expected) => {
    expect(js(q)).toEqual(expected)
    expect(fts(q)).toEqual(expected)
  })

  it('only narrows as the query grows', () => {
    const typed = 'kitesurfing'
    for (let n = 2; n < typed.length; n++) {
      const shorter = js(typed.slice(0, n))
      for (const hit of js(typed.slice(0, n + 1))) expect(shorter).toContain(hit)
    }
  })
})
