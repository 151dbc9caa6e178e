import { describe, expect, it } from 'vitest'
import { diffText, lineDiff } from './line-diff'

describe('lineDiff', () => {
  it('marks added, removed and kept lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { op: ' ', text: 'a' },
      { op: '-', text: 'b' },
      { op: ' ', text: 'c' },
      { op: '+', text: 'd' }
    ])
  })

  it('handles empty sides', () => {
    expect(lineDiff('', 'x')).toEqual([{ op: '+', text: 'x' }])
    expect(lineDiff('x', '')).toEqual([{ op: '-', text: 'x' }])
    expect(lineDiff('', '')).toEqual([])
  })

  it('folds long unchanged runs in the text form', () => {
    const before = Array.from({ length: 20 }, (_, i) => `l${i}`).join('\n')
    const after = before.replace('l10', 'L10')
    const text = diffText(lineDiff(before, after), 1)
    expect(text).toBe(['@@ 9 unchanged lines @@', '  l9', '- l10', '+ L10', '  l11', '@@ 8 unchanged lines @@'].join('\n'))
  })

  it('says nothing for identical texts', () => {
    expect(diffText(lineDiff('a\nb', 'a\nb'))).toBe('')
  })
})
