// A finding's JSON pointer → the field path the inventory and per-field settings use: dotted, with array
// indexes folded to `[]` so `traits.addresses[].street` is one field however many addresses a user has.
// Keys that are data rather than names (an e-mail or a long number used as a key: `{"bob@x.com": …}`) are
// folded to `*`: the inventory keeps no personal data, and such maps make one field, not one per person.

export function fieldPath(pointer: string): string {
  let path = known.get(pointer)
  if (path === undefined) {
    path = computePath(pointer)
    if (known.size >= 10_000) known.clear()
    known.set(pointer, path)
  }
  return path
}

/** Pointers repeat from event to event (`/context/ip`, `/traits/email`): their paths are remembered. */
const known = new Map<string, string>()

function computePath(pointer: string): string {
  let path = ''
  for (const raw of pointer.slice(1).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~')
    if (/^\d+$/.test(part)) path += '[]'
    else {
      const name = DATA_KEY.test(part) ? '*' : part
      path += path === '' ? name : `.${name}`
    }
  }
  return path
}

const DATA_KEY = /@|\d{6,}|^[0-9a-f-]{32,}$/i
