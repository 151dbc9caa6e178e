// Tokens → FqlExpression, by recursive descent. Precedence, loosest first: `or`, `and`, `!`, then one
// comparison (`=`, `!=`, `<`, `<=`, `>`, `>=`, `in`) between two operands. Errors name the token and its
// offset; never-matching literals (`x < "5"`, `match(x, 5)`) are refused here rather than failing
// silently on every event.

import { FQL_FUNCTIONS, isFqlFunction, type FqlExpression } from './ast'
import { FqlSyntaxError } from './errors'
import { globError } from './glob'
import { lex, type Token } from './lexer'

const MAX_DEPTH = 64
const VALUE_KEYWORDS: Record<string, FqlExpression['kind'] | undefined> = { true: 'literal', false: 'literal', null: 'literal', all: 'all' }
const OPERATOR_WORDS = new Set(['and', 'or', 'in'])

/** Parse FQL text; throws FqlSyntaxError with the offending offset. */
export function parseFql(text: string): FqlExpression {
  return new Parser(text).parseWhole()
}

/** A dotted field path on its own (e.g. a sampling path or a property-filter object path) → segments. */
export function parseFqlPath(text: string): string[] {
  const parser = new Parser(text)
  const expr = parser.parseWhole()
  if (expr.kind !== 'path' || expr.parens) throw new FqlSyntaxError('expected a field path such as properties.plan', expr.position)
  return expr.segments
}

class Parser {
  private readonly tokens: Token[]
  private index = 0
  private depth = 0

  constructor(private readonly text: string) {
    this.tokens = lex(text)
  }

  parseWhole(): FqlExpression {
    const expr = this.parseOr()
    const next = this.peek()
    if (next.kind !== 'eof') throw this.unexpectedAfter(next, '"and", "or" or the end of the expression')
    return expr
  }

  private parseOr(): FqlExpression {
    let left = this.parseAnd()
    while (this.isWord(this.peek(), 'or')) {
      this.next()
      const right = this.parseAnd()
      left = { kind: 'logical', operator: 'or', left, right, position: left.position }
    }
    return left
  }

  private parseAnd(): FqlExpression {
    let left = this.parseUnary()
    while (this.isWord(this.peek(), 'and')) {
      this.next()
      const right = this.parseUnary()
      left = { kind: 'logical', operator: 'and', left, right, position: left.position }
    }
    return left
  }

  private parseUnary(): FqlExpression {
    const token = this.peek()
    if (token.kind === '!') {
      this.next()
      this.enter(token)
      const operand = this.parseUnary()
      this.depth--
      return { kind: 'not', operand, position: token.pos }
    }
    return this.parseComparison()
  }

  private parseComparison(): FqlExpression {
    const left = this.parseOperand()
    const token = this.peek()
    if (token.kind === 'op') {
      this.next()
      const right = this.parseOperand()
      if (token.op !== '=' && token.op !== '!=') {
        for (const side of [left, right]) {
          if (side.kind === 'literal' && typeof side.value !== 'number') {
            throw new FqlSyntaxError(`"${token.op}" compares numbers only, and ${this.raw(side)} is not a number`, side.position)
          }
        }
      }
      return { kind: 'compare', operator: token.op, left, right, position: left.position }
    }
    if (this.isWord(token, 'in')) {
      this.next()
      const right = this.parseOperand()
      if (right.kind === 'literal' || right.kind === 'all') throw new FqlSyntaxError('"in" needs a list on its right, such as ["a", "b"]', right.position)
      return { kind: 'in', left, right, position: left.position }
    }
    return left
  }

  private parseOperand(): FqlExpression {
    const token = this.next()
    switch (token.kind) {
      case 'eof': {
        const previous = this.tokens[this.index - 2]
        if (!previous) throw new FqlSyntaxError('empty expression', 0)
        throw new FqlSyntaxError(`unexpected end of expression after ${this.quoted(previous)}`, token.pos)
      }
      case 'string':
        return { kind: 'literal', value: token.value, quote: token.quote, position: token.pos }
      case 'number':
        return { kind: 'literal', value: token.value, position: token.pos }
      case '(':
        return this.parseGroup(token)
      case '[':
        return this.parseList(token)
      case 'word':
        return this.parseWordOperand(token)
      default:
        throw new FqlSyntaxError(`expected a value, found ${this.quoted(token)}`, token.pos)
    }
  }

  private parseGroup(open: Token): FqlExpression {
    this.enter(open)
    const inner = this.parseOr()
    const close = this.next()
    if (close.kind === 'eof') throw new FqlSyntaxError('unclosed "("', open.pos)
    if (close.kind !== ')') throw this.unexpectedAfter(close, '"and", "or" or ")"')
    this.depth--
    return { ...inner, parens: (inner.parens ?? 0) + 1 }
  }

  private parseList(open: Token): FqlExpression {
    const items: FqlExpression[] = []
    if (this.peek().kind === ']') {
      this.next()
      return { kind: 'list', items, position: open.pos }
    }
    for (;;) {
      if (this.peek().kind === 'eof') throw new FqlSyntaxError('unclosed "["', open.pos)
      const item = this.parseOperand()
      if (item.kind !== 'literal') throw new FqlSyntaxError('a list holds only strings, numbers, true, false and null', item.position)
      items.push(item)
      const after = this.next()
      if (after.kind === ']') return { kind: 'list', items, position: open.pos }
      if (after.kind === 'eof') throw new FqlSyntaxError('unclosed "["', open.pos)
      if (after.kind !== ',') throw new FqlSyntaxError(`unexpected ${this.quoted(after)} in a list; expected "," or "]"`, after.pos)
    }
  }

  private parseWordOperand(word: Extract<Token, { kind: 'word' }>): FqlExpression {
    if (this.peek().kind === '(') {
      if (!isFqlFunction(word.text)) throw new FqlSyntaxError(`unknown function "${word.text}"`, word.pos)
      return this.parseCall(word.text, word)
    }
    if (!word.escaped && this.peek().kind !== '.') {
      const keyword = VALUE_KEYWORDS[word.text]
      if (keyword === 'all') return { kind: 'all', position: word.pos }
      if (keyword === 'literal') return { kind: 'literal', value: word.text === 'null' ? null : word.text === 'true', position: word.pos }
      if (OPERATOR_WORDS.has(word.text)) throw new FqlSyntaxError(`expected a value, found "${word.text}"`, word.pos)
      const next = this.peek()
      if (word.text.toLowerCase() === 'not' && ['word', 'string', 'number', '(', '!'].includes(next.kind)) {
        throw new FqlSyntaxError(`"${word.text}" is not an FQL operator; use "!"`, word.pos)
      }
    }
    const segments = [word.text]
    let escaped = word.escaped
    while (this.peek().kind === '.') {
      const dot = this.next()
      const part = this.peek()
      if (part.kind !== 'word' || part.pos !== dot.end) throw new FqlSyntaxError('expected a field name after "."', dot.end)
      this.next()
      segments.push(part.text)
      escaped ||= part.escaped
    }
    return { kind: 'path', segments, escaped, position: word.pos }
  }

  private parseCall(name: keyof typeof FQL_FUNCTIONS, word: Token): FqlExpression {
    const open = this.next()
    this.enter(open)
    const args: FqlExpression[] = []
    if (this.peek().kind === ')') this.next()
    else {
      for (;;) {
        if (this.peek().kind === 'eof') throw new FqlSyntaxError(`unclosed "(" of ${name}()`, open.pos)
        args.push(this.parseOr())
        const after = this.next()
        if (after.kind === ')') break
        if (after.kind === 'eof') throw new FqlSyntaxError(`unclosed "(" of ${name}()`, open.pos)
        if (after.kind !== ',') throw this.unexpectedAfter(after, `"," or ")" after an argument of ${name}()`)
      }
    }
    this.depth--
    const arity = FQL_FUNCTIONS[name]
    if (args.length !== arity) {
      throw new FqlSyntaxError(`${name}() takes ${arity} argument${arity === 1 ? '' : 's'}, got ${args.length}`, word.pos)
    }
    if (name === 'match' || name === 'contains') {
      const second = args[1]!
      if (second.kind === 'literal' && typeof second.value !== 'string') {
        throw new FqlSyntaxError(`the second argument of ${name}() must be a string, not ${this.raw(second)}`, second.position)
      }
      if (name === 'match' && second.kind === 'literal') {
        const problem = globError(second.value as string)
        if (problem) throw new FqlSyntaxError(`bad glob pattern ${this.raw(second)}: ${problem}`, second.position)
      }
    }
    return { kind: 'call', name, args, position: word.pos }
  }

  /** A token where `expected` was due; names the common mistakes. */
  private unexpectedAfter(token: Token, expected: string): FqlSyntaxError {
    if (token.kind === ')' && expected.endsWith('the end of the expression')) return new FqlSyntaxError('unexpected ")" with no "(" to close', token.pos)
    if (token.kind === 'word' && !token.escaped) {
      const lower = token.text.toLowerCase()
      if (token.text === 'match' || token.text === 'contains') {
        return new FqlSyntaxError(`"${token.text}" is a function, not an operator; write ${token.text}(field, "${token.text === 'match' ? 'pattern*' : 'text'}")`, token.pos)
      }
      if (lower === 'and' || lower === 'or') return new FqlSyntaxError(`"${token.text}" is not an FQL operator; use "${lower}"`, token.pos)
      if (lower === 'not') return new FqlSyntaxError(`"${token.text}" is not an FQL operator; use "!"`, token.pos)
    }
    if (token.kind === 'op') return new FqlSyntaxError(`unexpected "${token.op}"; comparisons cannot be chained, join them with "and"`, token.pos)
    return new FqlSyntaxError(`unexpected ${this.quoted(token)}; expected ${expected}`, token.pos)
  }

  private enter(token: Token): void {
    if (++this.depth > MAX_DEPTH) throw new FqlSyntaxError(`expression nests deeper than ${MAX_DEPTH} levels`, token.pos)
  }

  private isWord(token: Token, word: string): boolean {
    return token.kind === 'word' && !token.escaped && token.text === word
  }

  private peek(): Token {
    return this.tokens[this.index]!
  }

  private next(): Token {
    const token = this.tokens[this.index]!
    if (token.kind !== 'eof') this.index++
    else this.index = this.tokens.length
    return token
  }

  private quoted(token: Token): string {
    if (token.kind === 'eof') return 'the end'
    const raw = this.text.slice(token.pos, token.end)
    return token.kind === 'string' ? raw : JSON.stringify(raw)
  }

  private raw(node: FqlExpression): string {
    if (node.kind === 'literal') return node.quote ? `${node.quote}${node.value as string}${node.quote}` : String(node.value)
    return JSON.stringify(this.text.slice(node.position, node.position + 20))
  }
}
