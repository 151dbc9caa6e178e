// The syntax tree of a Segment FQL expression (https://segment.com/docs/api/public-api/fql/). Every node
// keeps the character offset where it starts so later checks (glob patterns, the Actions subset) can
// point at the text the user wrote.

export type FqlFunctionName =
  | 'contains'
  | 'length'
  | 'lowercase'
  | 'uppercase'
  | 'snakecase'
  | 'kebabcase'
  | 'titlecase'
  | 'typeof'
  | 'match'
  | 'bool'
  | 'string'
  | 'number'

/** How many arguments each function takes. */
export const FQL_FUNCTIONS: Readonly<Record<FqlFunctionName, number>> = {
  contains: 2,
  length: 1,
  lowercase: 1,
  uppercase: 1,
  snakecase: 1,
  kebabcase: 1,
  titlecase: 1,
  typeof: 1,
  match: 2,
  bool: 1,
  string: 1,
  number: 1
}

export type FqlComparison = '=' | '!=' | '<' | '<=' | '>' | '>='

export type FqlScalar = string | number | boolean | null

interface Base {
  position: number
  /** How many pairs of parentheses wrap this node (the Actions subset allows one level, so it matters there). */
  parens?: number
}

export type FqlExpression =
  | (Base & { kind: 'all' })
  | (Base & { kind: 'literal'; value: FqlScalar; quote?: '"' | "'" })
  | (Base & { kind: 'path'; segments: string[]; escaped: boolean })
  | (Base & { kind: 'list'; items: FqlExpression[] })
  | (Base & { kind: 'not'; operand: FqlExpression })
  | (Base & { kind: 'logical'; operator: 'and' | 'or'; left: FqlExpression; right: FqlExpression })
  | (Base & { kind: 'compare'; operator: FqlComparison; left: FqlExpression; right: FqlExpression })
  | (Base & { kind: 'in'; left: FqlExpression; right: FqlExpression })
  | (Base & { kind: 'call'; name: FqlFunctionName; args: FqlExpression[] })

export function isFqlFunction(name: string): name is FqlFunctionName {
  return Object.prototype.hasOwnProperty.call(FQL_FUNCTIONS, name)
}
