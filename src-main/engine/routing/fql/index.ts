// Segment's Filter Query Language: parse once, evaluate per event.
export type { FqlExpression, FqlFunctionName, FqlComparison, FqlScalar } from './ast'
export { FqlSyntaxError } from './errors'
export { parseFql, parseFqlPath } from './parser'
export { evaluateFql, readPath } from './evaluate'
export { validateSubscriptionFql } from './subscriptions'
