// Checks the shape of untrusted JSON before anything recurses into it: nesting depth (JSON.stringify
// would overflow the stack on deep input) and keys that could poison prototypes downstream.

import type { ErrorCode } from '../../../src-shared/errors'

export interface StructureProblem {
  code: ErrorCode
  message: string
  path: (string | number)[]
}

export function checkStructure(value: unknown, maxDepth: number): StructureProblem | null {
  return visit(value, 0, maxDepth)
}

// Recursion is bounded by maxDepth, so the stack stays shallow whatever the input's nesting.
function visit(value: unknown, depth: number, maxDepth: number): StructureProblem | null {
  if (typeof value !== 'object' || value === null) return null
  if (depth >= maxDepth) {
    return { code: 'ERR_LIMIT_TOO_DEEP', message: `nested deeper than ${maxDepth} levels`, path: [] }
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const problem = visit(value[i], depth + 1, maxDepth)
      if (problem) return prefix(problem, i)
    }
    return null
  }
  for (const key in value) {
    const child = (value as Record<string, unknown>)[key]
    if (key === '__proto__' || (key === 'constructor' && typeof child === 'object' && child !== null && 'prototype' in child)) {
      return { code: 'ERR_SPEC_FORBIDDEN_KEY', message: `the key "${key}" is not allowed`, path: [key] }
    }
    const problem = visit(child, depth + 1, maxDepth)
    if (problem) return prefix(problem, key)
  }
  return null
}

function prefix(problem: StructureProblem, key: string | number): StructureProblem {
  problem.path.unshift(key)
  return problem
}

/** `["properties", "items", 3, "name"]` → `properties.items[3].name` */
export function formatPath(path: readonly (string | number)[]): string {
  let out = ''
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`
    else if (/^[A-Za-z_$][\w$]*$/.test(part)) out += out ? `.${part}` : part
    else out += `[${JSON.stringify(part)}]`
  }
  return out
}
