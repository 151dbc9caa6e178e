// Literals for code we hand to people to paste: a JavaScript string that is also safe inside an HTML
// <script> block, and a POSIX shell word. Event data and write keys are attacker-controlled (any client
// can create a source with any key), so neither may break out of its quotes.

/** A JSON/JS string literal with `<` escaped, so "</script>" cannot end the snippet's script block. */
export function jsString(value: string): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** JSON for a JS snippet, with the same escaping as jsString. */
export function jsJson(value: unknown, indent?: number): string {
  return JSON.stringify(value, null, indent).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029')
}

/** One shell word in single quotes: nothing inside is special except the quote itself. */
export function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`
}
