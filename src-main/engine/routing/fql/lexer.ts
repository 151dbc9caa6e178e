// FQL text → tokens. Follows Segment's own lexer (@segment/fql-ts, a port of the Go one) where it is
// strict — a field name is letters, digits, `_` and `-`, any other character escaped with `\`; strings
// in '…' or "…" have no escapes, so a glob's `\*` reaches match() intact — and is stricter where it is
// lax, naming the usual mistakes (`==`, `&&`, `<>`) instead of reading them as something else.

import { FqlSyntaxError } from './errors'

export type Token =
  /** A field name segment, keyword or function name; `text` has escapes resolved. */
  | { kind: 'word'; text: string; escaped: boolean; pos: number; end: number }
  | { kind: 'string'; value: string; quote: '"' | "'"; pos: number; end: number }
  | { kind: 'number'; value: number; pos: number; end: number }
  | { kind: 'op'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; pos: number; end: number }
  | { kind: '!' | '(' | ')' | '[' | ']' | ',' | '.'; pos: number; end: number }
  | { kind: 'eof'; pos: number; end: number }

const WORD_CHAR = /[A-Za-z0-9_-]/
const WORD_START = /[A-Za-z_]/
const DIGIT = /[0-9]/
const SPACE = /\s/
const NUMBER = /^-?\d+(\.\d+)?$/

/** Longer than any sensible filter; bounds the work done on a pasted blob. */
export const MAX_FQL_LENGTH = 10_000

export function lex(text: string): Token[] {
  if (text.length > MAX_FQL_LENGTH) throw new FqlSyntaxError(`expression is longer than ${MAX_FQL_LENGTH} characters`, MAX_FQL_LENGTH)
  const tokens: Token[] = []
  let i = 0
  const at = (k: number) => text[k] ?? ''
  while (i < text.length) {
    const c = at(i)
    const start = i
    if (SPACE.test(c)) {
      i++
      continue
    }
    const afterDot = tokens[tokens.length - 1]?.kind === '.' && tokens[tokens.length - 1]!.end === i
    if (WORD_START.test(c) || c === '\\' || (afterDot && WORD_CHAR.test(c))) {
      let word = ''
      let escaped = false
      while (i < text.length && (WORD_CHAR.test(at(i)) || at(i) === '\\')) {
        if (at(i) === '\\') {
          if (i + 1 >= text.length) throw new FqlSyntaxError('"\\" at the end of the expression escapes nothing', i)
          escaped = true
          // Whole code points, so an escaped emoji stays one character.
          const cp = text.codePointAt(i + 1)!
          const ch = String.fromCodePoint(cp)
          word += ch
          i += 1 + ch.length
        } else {
          word += at(i)
          i++
        }
      }
      tokens.push({ kind: 'word', text: word, escaped, pos: start, end: i })
      continue
    }
    if (DIGIT.test(c) || (c === '-' && DIGIT.test(at(i + 1)))) {
      i++
      while (i < text.length && (WORD_CHAR.test(at(i)) || at(i) === '.')) i++
      const raw = text.slice(start, i)
      if (!NUMBER.test(raw)) throw new FqlSyntaxError(`invalid number "${raw}"`, start)
      tokens.push({ kind: 'number', value: Number(raw), pos: start, end: i })
      continue
    }
    if (c === '"' || c === "'") {
      const close = text.indexOf(c, i + 1)
      if (close < 0) throw new FqlSyntaxError(`unclosed string (no closing ${c})`, start)
      tokens.push({ kind: 'string', value: text.slice(i + 1, close), quote: c, pos: start, end: close + 1 })
      i = close + 1
      continue
    }
    const two = text.slice(i, i + 2)
    const mistake = MISTAKES[text.slice(i, i + 3)] ?? MISTAKES[two] ?? (two[0] === '&' || two[0] === '|' ? MISTAKES[two[0]] : undefined)
    if (mistake) throw new FqlSyntaxError(mistake, start)
    if (two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', op: two, pos: start, end: i + 2 })
      i += 2
      continue
    }
    if (c === '=' || c === '<' || c === '>') {
      tokens.push({ kind: 'op', op: c, pos: start, end: i + 1 })
      i++
      continue
    }
    if (c === '!' || c === '(' || c === ')' || c === '[' || c === ']' || c === ',' || c === '.') {
      tokens.push({ kind: c, pos: start, end: i + 1 })
      i++
      continue
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!)
    throw new FqlSyntaxError(`unexpected character ${JSON.stringify(ch)}${/[^\x20-\x7e]/.test(ch) ? ' (escape it with "\\" in a field name, or quote it)' : ''}`, start)
  }
  tokens.push({ kind: 'eof', pos: text.length, end: text.length })
  return tokens
}

const MISTAKES: Record<string, string> = {
  '!==': '"!==" is not an FQL operator; use "!="',
  '===': '"===" is not an FQL operator; use "="',
  '==': '"==" is not an FQL operator; use "="',
  '=>': '"=>" is not an FQL operator; use ">="',
  '=<': '"=<" is not an FQL operator; use "<="',
  '<>': '"<>" is not an FQL operator; use "!="',
  '&&': '"&&" is not an FQL operator; use "and"',
  '||': '"||" is not an FQL operator; use "or"',
  '&': '"&" is not an FQL operator; use "and"',
  '|': '"|" is not an FQL operator; use "or"'
}
