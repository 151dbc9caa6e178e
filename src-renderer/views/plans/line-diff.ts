// A line diff of two texts (longest common subsequence), for the versions view: plans are small
// (a few thousand lines at most), so the quadratic table is fine and needs no library.

export interface DiffLine {
  op: ' ' | '+' | '-'
  text: string
}

const MAX_CELLS = 4_000_000

export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before === '' ? [] : before.split('\n')
  const b = after === '' ? [] : after.split('\n')
  // Common head and tail cost nothing and shrink the table to the changed middle.
  let head = 0
  while (head < a.length && head < b.length && a[head] === b[head]) head++
  let tail = 0
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++
  const midA = a.slice(head, a.length - tail)
  const midB = b.slice(head, b.length - tail)
  const out: DiffLine[] = a.slice(0, head).map((text) => ({ op: ' ', text }))
  if ((midA.length + 1) * (midB.length + 1) > MAX_CELLS) {
    // Too big to align: show the middle as replaced wholesale rather than freeze the UI.
    out.push(...midA.map((text) => ({ op: '-' as const, text })), ...midB.map((text) => ({ op: '+' as const, text })))
  } else {
    out.push(...alignMiddle(midA, midB))
  }
  out.push(...a.slice(a.length - tail).map((text) => ({ op: ' ' as const, text })))
  return out
}

function alignMiddle(a: string[], b: string[]): DiffLine[] {
  const n = a.length
  const m = b.length
  const width = m + 1
  const lcs = new Uint32Array((n + 1) * width)
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * width + j] = a[i] === b[j] ? lcs[(i + 1) * width + j + 1]! + 1 : Math.max(lcs[(i + 1) * width + j]!, lcs[i * width + j + 1]!)
    }
  }
  const out: DiffLine[] = []
  let i = 0
  let j = 0
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i]! })
      i++
      j++
    } else if (lcs[(i + 1) * width + j]! >= lcs[i * width + j + 1]!) {
      out.push({ op: '-', text: a[i++]! })
    } else {
      out.push({ op: '+', text: b[j++]! })
    }
  }
  while (i < n) out.push({ op: '-', text: a[i++]! })
  while (j < m) out.push({ op: '+', text: b[j++]! })
  return out
}

export type FoldedLine = DiffLine | { op: '@'; skipped: number }

/** Unchanged runs further than `context` lines from a change folded into one marker. */
export function foldDiff(lines: DiffLine[], context = 3): FoldedLine[] {
  const keep = lines.map(() => false)
  lines.forEach((line, i) => {
    if (line.op === ' ') return
    for (let k = Math.max(0, i - context); k <= Math.min(lines.length - 1, i + context); k++) keep[k] = true
  })
  const out: FoldedLine[] = []
  let skipped = 0
  lines.forEach((line, i) => {
    if (!keep[i]) {
      skipped++
      return
    }
    if (skipped > 0) out.push({ op: '@', skipped })
    skipped = 0
    out.push(line)
  })
  if (skipped > 0 && out.length > 0) out.push({ op: '@', skipped })
  return out
}

/** The diff as unified-style text. */
export function diffText(lines: DiffLine[], context = 3): string {
  return foldDiff(lines, context)
    .map((line) => (line.op === '@' ? `@@ ${line.skipped} unchanged ${line.skipped === 1 ? 'line' : 'lines'} @@` : `${line.op} ${line.text}`))
    .join('\n')
}
