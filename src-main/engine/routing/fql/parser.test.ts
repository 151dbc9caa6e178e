import { describe, expect, it } from 'vitest'
import { FqlSyntaxError, parseFql, parseFqlPath } from './index'

function syntaxError(text: string): FqlSyntaxError {
  try {
    parseFql(text)
  } catch (error) {
    if (error instanceof FqlSyntaxError) return error
    throw error
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`)
}

describe('parseFql refuses malformed FQL, naming the problem and where it is', () => {
  it.each([
    // the inputs @segment/destination-subscriptions reads silently as something else
    ['type = "track" and', 'unexpected end of expression after "and"', 18],
    ['type == "track"', '"==" is not an FQL operator; use "="', 5],
    ['event match "Order*"', '"match" is a function, not an operator; write match(field, "pattern*")', 6],
    ['event contains "Order"', '"contains" is a function, not an operator; write contains(field, "text")', 6],
    // typos and habits from other languages
    ['lenght(userId) < 1', 'unknown function "lenght"', 0],
    ['type = "a" && event = "b"', '"&&" is not an FQL operator; use "and"', 11],
    ['type = "a" || event = "b"', '"||" is not an FQL operator; use "or"', 11],
    ['type = "a" AND event = "b"', '"AND" is not an FQL operator; use "and"', 11],
    ['type = "a" OR event = "b"', '"OR" is not an FQL operator; use "or"', 11],
    ['not type = "a"', '"not" is not an FQL operator; use "!"', 0],
    ['type <> "a"', '"<>" is not an FQL operator; use "!="', 5],
    ['type !== "a"', '"!==" is not an FQL operator; use "!="', 5],
    ['type === "a"', '"===" is not an FQL operator; use "="', 5],
    ['count => 1', '"=>" is not an FQL operator; use ">="', 6],
    // unclosed things point at where they open
    ['(type = "a"', 'unclosed "("', 0],
    ['type = "a" and (event = "b" or (event = "c")', 'unclosed "("', 15],
    ['type = "track', 'unclosed string (no closing ")', 7],
    ["event = 'Order", "unclosed string (no closing ')", 8],
    ['event in ["A", "B"', 'unclosed "["', 9],
    ['event in ["A", "B" "C"]', 'unexpected "C" in a list; expected "," or "]"', 19],
    ['contains(event, "x"', 'unclosed "(" of contains()', 8],
    ['type = "a")', 'unexpected ")" with no "(" to close', 10],
    // missing pieces
    ['', 'empty expression', 0],
    ['   ', 'empty expression', 0],
    ['type =', 'unexpected end of expression after "="', 6],
    ['!', 'unexpected end of expression after "!"', 1],
    ['= "track"', 'expected a value, found "="', 0],
    ['and type = "a"', 'expected a value, found "and"', 0],
    ['type = "a" or or event = "b"', 'expected a value, found "or"', 14],
    ['()', 'expected a value, found ")"', 1],
    ['contains(event, )', 'expected a value, found ")"', 16],
    ['type = "a" event = "b"', 'unexpected "event"; expected "and", "or" or the end of the expression', 11],
    ['(type = "a" event = "b")', 'unexpected "event"; expected "and", "or" or ")"', 12],
    ['contains(event "x")', 'unexpected "x"; expected "," or ")" after an argument of contains()', 15],
    ['a = b = c', 'unexpected "="; comparisons cannot be chained, join them with "and"', 6],
    ['properties.', 'expected a field name after "."', 11],
    ['properties. total = 1', 'expected a field name after "."', 11],
    ['properties.a\\', '"\\" at the end of the expression escapes nothing', 12],
    // wrong arity and never-matching literals
    ['contains(event)', 'contains() takes 2 arguments, got 1', 0],
    ['length(userId, 1) > 0', 'length() takes 1 argument, got 2', 0],
    ['typeof() = "null"', 'typeof() takes 1 argument, got 0', 0],
    ['match(event, 5)', 'the second argument of match() must be a string, not 5', 13],
    ['match(event, "[ab")', 'bad glob pattern "[ab": unclosed "["', 13],
    ['match(event, "ab\\")', 'bad glob pattern "ab\\": "\\" at the end escapes nothing', 13],
    ['match(event, "[z-a]")', 'bad glob pattern "[z-a]": range "z-a" runs backwards', 13],
    ['properties.total < "5"', '"<" compares numbers only, and "5" is not a number', 19],
    ['null >= properties.total', '">=" compares numbers only, and null is not a number', 0],
    ['event in "A"', '"in" needs a list on its right, such as ["a", "b"]', 9],
    ['event in [properties.a]', 'a list holds only strings, numbers, true, false and null', 10],
    // bad characters and numbers
    ['type = #track', 'unexpected character "#"', 7],
    ['properties.prix€ = 1', 'unexpected character "€" (escape it with "\\" in a field name, or quote it)', 15],
    ['total = 1.2.3', 'invalid number "1.2.3"', 8],
    ['total = 12abc', 'invalid number "12abc"', 8],
    ['total = 1e5', 'invalid number "1e5"', 8]
  ])('%j → %s at %i', (text, problem, position) => {
    const error = syntaxError(text)
    expect(error.problem).toBe(problem)
    expect(error.position).toBe(position)
    expect(error.message).toBe(`${problem} at ${position}`)
  })

  it('limits nesting and length, so a hostile expression cannot exhaust the stack', () => {
    expect(syntaxError(`${'('.repeat(100)}a = 1${')'.repeat(100)}`).problem).toBe('expression nests deeper than 64 levels')
    expect(syntaxError(`${'!'.repeat(100)}a`).problem).toBe('expression nests deeper than 64 levels')
    expect(syntaxError(`a = "${'x'.repeat(10_000)}"`).problem).toBe('expression is longer than 10000 characters')
    // A long flat chain is fine: and/or are parsed in a loop.
    expect(() => parseFql(Array.from({ length: 800 }, (_, i) => `a = ${i}`).join(' or '))).not.toThrow()
  })
})

describe('parseFql accepts the FQL Segment documents', () => {
  it.each([
    'all',
    'length( userId ) < 1',
    "type = 'identify' or type = 'track'",
    "type = 'track' and ( event = 'Click' or match( event, 'Button *' ) )",
    "( type = 'track' or type = 'identify' ) and ( properties.enabled or match( traits.email, '*@company.com' ) )",
    "!( type in ['track', 'identify'] )",
    "!contains( context.library.name, 'js' )",
    "'dark-mode' in properties.features",
    'properties.product\\ 1.price = "19.99"',
    'typeof(properties.price) = "number" and properties.price >= -10.5',
    'event in ["A", \'B\', 1, true, null]',
    'event in []',
    'properties.items.0.sku = "A1"',
    'type="track"and event="x"'.replace('and', ' and '),
    'properties.my-field_2 = 1',
    'properties.\\true = true'
  ])('%s', (text) => {
    expect(() => parseFql(text)).not.toThrow()
  })

  it('builds a tree with and binding tighter than or, and positions on every node', () => {
    expect(parseFql('a = 1 or b = 2 and !c')).toEqual({
      kind: 'logical',
      operator: 'or',
      position: 0,
      left: { kind: 'compare', operator: '=', position: 0, left: { kind: 'path', segments: ['a'], escaped: false, position: 0 }, right: { kind: 'literal', value: 1, position: 4 } },
      right: {
        kind: 'logical',
        operator: 'and',
        position: 9,
        left: { kind: 'compare', operator: '=', position: 9, left: { kind: 'path', segments: ['b'], escaped: false, position: 9 }, right: { kind: 'literal', value: 2, position: 13 } },
        right: { kind: 'not', position: 19, operand: { kind: 'path', segments: ['c'], escaped: false, position: 20 } }
      }
    })
  })

  it('reads keywords as values only when unescaped and alone', () => {
    expect(parseFql('true')).toMatchObject({ kind: 'literal', value: true })
    expect(parseFql('null')).toMatchObject({ kind: 'literal', value: null })
    expect(parseFql('\\null')).toMatchObject({ kind: 'path', segments: ['null'] })
    expect(parseFql('all.x = 1')).toMatchObject({ left: { kind: 'path', segments: ['all', 'x'] } })
    expect(parseFql('properties.and = 1')).toMatchObject({ left: { kind: 'path', segments: ['properties', 'and'] } })
  })
})

describe('parseFqlPath', () => {
  it('reads a dotted path with escapes', () => {
    expect(parseFqlPath('userId')).toEqual(['userId'])
    expect(parseFqlPath('context.traits')).toEqual(['context', 'traits'])
    expect(parseFqlPath('properties.product\\ 1')).toEqual(['properties', 'product 1'])
  })

  it.each(['', 'type = "a"', '(userId)', '"userId"', 'properties.'])('refuses %j', (text) => {
    expect(() => parseFqlPath(text)).toThrow(FqlSyntaxError)
  })
})
