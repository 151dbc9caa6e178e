// Short labels for identifiers drawn in the identity graph. Long values are cut in the middle, where
// identifiers differ least (an email keeps its domain, a device id its tail); values whose short forms
// would read the same keep the part where they differ, so two nodes never carry one label. The full value
// is always in the node's tooltip.

export const LABEL_MAX = 24
const ELLIPSIS = '…'

/** "a.very.lo…@example.com": at most `max` characters, the head and the tail kept. */
export function truncateMiddle(value: string, max = LABEL_MAX): string {
  const chars = [...value]
  if (chars.length <= max) return value
  const room = max - 1
  const at = value.lastIndexOf('@')
  const domain = at > 0 ? [...value.slice(at)] : []
  // An email keeps its whole domain while that leaves a readable head.
  if (domain.length > 0 && domain.length <= room - 6) return chars.slice(0, room - domain.length).join('') + ELLIPSIS + domain.join('')
  const head = Math.ceil(room / 2)
  return chars.slice(0, head).join('') + ELLIPSIS + chars.slice(chars.length - (room - head)).join('')
}

const commonPrefix = (values: string[][]): number => {
  let n = 0
  while (values.every((v) => n < v.length && v[n] === values[0]![n])) n++
  return n
}

const commonSuffix = (values: string[][], prefix: number): number => {
  let n = 0
  while (values.every((v) => v.length - n > prefix && v[v.length - 1 - n] === values[0]![values[0]!.length - 1 - n])) n++
  return n
}

/** A label keeping where `value` differs from the others of its group: "a.very…layout.7@so…y.com". */
function around(chars: string[], from: number, to: number, max: number): string {
  const HEAD = 6
  const TAIL = 5
  const AFTER = 3
  const diff = chars.slice(from, Math.max(to, from + 1))
  if (diff.length > max - HEAD - TAIL - 2) return truncateMiddle(chars.join(''), max)
  const end = Math.min(chars.length, from + diff.length + AFTER)
  // What room is left goes to what comes before the difference: usually the words that name it.
  const start = Math.max(0, end - (max - HEAD - TAIL - 2))
  const head = start <= HEAD ? chars.slice(0, start).join('') : chars.slice(0, HEAD).join('') + ELLIPSIS
  const tail = end >= chars.length - TAIL ? chars.slice(end).join('') : ELLIPSIS + chars.slice(chars.length - TAIL).join('')
  return head + chars.slice(start, end).join('') + tail
}

/** One label per value (same order), each at most about `max` characters, distinct where the values are. */
export function shortLabels(values: readonly string[], max = LABEL_MAX): string[] {
  const labels = values.map((v) => truncateMiddle(v, max))
  const groups = new Map<string, number[]>()
  labels.forEach((label, i) => {
    if (label !== values[i]) groups.set(label, [...(groups.get(label) ?? []), i])
  })
  for (const indexes of groups.values()) {
    const distinct = new Set(indexes.map((i) => values[i]))
    if (distinct.size < 2) continue
    const chars = indexes.map((i) => [...values[i]!])
    const prefix = commonPrefix(chars)
    const suffix = commonSuffix(chars, prefix)
    indexes.forEach((i, k) => {
      labels[i] = around(chars[k]!, prefix, chars[k]!.length - suffix, max)
    })
  }
  return labels
}
