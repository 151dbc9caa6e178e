/** A malformed FQL expression. `message` ends with " at <position>"; `position` is the character offset. */
export class FqlSyntaxError extends Error {
  readonly problem: string

  constructor(
    problem: string,
    readonly position: number
  ) {
    super(`${problem} at ${position}`)
    this.name = 'FqlSyntaxError'
    this.problem = problem
  }
}
