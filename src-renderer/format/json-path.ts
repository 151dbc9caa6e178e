// A path into an event payload the way one would write it in JavaScript (and most query languages):
// properties.items[0].sku, context["user-agent"]. Keys that are not identifiers are quoted.

export type PathSegment = string | number

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

export function formatPath(path: readonly PathSegment[]): string {
  let out = ''
  for (const segment of path) {
    if (typeof segment === 'number') out += `[${segment}]`
    else if (IDENTIFIER.test(segment)) out += out === '' ? segment : `.${segment}`
    else out += `[${JSON.stringify(segment)}]`
  }
  return out
}

/** What "copy value" puts on the clipboard: strings as they are, anything else as JSON. */
export function copyableValue(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value, null, 2)
}
