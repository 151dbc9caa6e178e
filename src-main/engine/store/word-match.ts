// What free text (`q`) means, everywhere: the query's words appear in the payload in that order, next to
// each other, the last one possibly unfinished ("ada@exa" finds "ada@example.com"; "kit" finds "kite" and
// "kitesurfing"). Words are runs of letters and digits, compared without case or accents — the way
// SQLite's FTS5 unicode61 tokenizer sees them, so the search index, the not-yet-indexed tail and the Live
// stream all give the same answer, and typing more letters only ever narrows it.

const WORD = /[\p{L}\p{N}]+/gu

/** Lower-case, accents removed. */
function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}+/gu, '').toLowerCase()
}

/** The words of a query, normalized; empty when it has none (then it filters nothing). */
export function queryWords(q: string): string[] {
  return fold(q).match(WORD) ?? []
}

/** The FTS5 query for those words: one phrase, the last word a prefix. */
export function ftsMatch(words: readonly string[]): string {
  return `"${words.join(' ')}"*`
}

/** Whether `text` holds the words in order, adjacent, the last as a prefix. */
export function matchesWords(text: string, words: readonly string[]): boolean {
  if (words.length === 0) return true
  const tokens = fold(text).match(WORD)
  if (!tokens) return false
  const last = words.length - 1
  outer: for (let start = 0; start + last < tokens.length; start++) {
    for (let i = 0; i < last; i++) if (tokens[start + i] !== words[i]) continue outer
    if (tokens[start + last]!.startsWith(words[last]!)) return true
  }
  return false
}
