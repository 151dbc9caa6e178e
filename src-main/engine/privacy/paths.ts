// A finding's JSON pointer → the field path the inventory and per-field settings use: dotted, with array
// indexes folded to `[]` so `traits.addresses[].street` is one field however many addresses a user has.

export function fieldPath(pointer: string): string {
  let path = ''
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(part)) path += '[]'
    else path += path === '' ? part : `.${part}`
  }
  return path
}
