import { describe, expect, it } from 'vitest'
import type { Finding } from '../../src-shared/privacy'
import { findingHighlights, maskPayload, maskedPointers } from './pii-mask'

const findings: Finding[] = [
  { pointer: '/properties/email', matcher: 'email', classification: 'yellow', sample: 'a•••@example.com' },
  { pointer: '/properties/card', matcher: 'credit_card', classification: 'red', sample: '•••• 4242' },
  { pointer: '/properties/items/1/note', matcher: 'custom:note', classification: 'red', sample: '•••' },
  { pointer: '/properties/plan', matcher: 'custom:plan', classification: 'green', sample: 'pro' },
  { pointer: '/properties/a~1b', matcher: 'secret', classification: 'red', sample: '•••xy' }
]

describe('PII masking in the detail pane', () => {
  it('hides red and yellow fields, not green ones', () => {
    expect([...maskedPointers(findings).keys()]).toEqual(['/properties/email', '/properties/card', '/properties/items/1/note', '/properties/a~1b'])
  })

  it('replaces masked values in a copy, following escaped pointers and array indexes', () => {
    const payload = { properties: { email: 'ada@example.com', card: '4242424242424242', plan: 'pro', 'a/b': 'tok', items: [{ note: 'x' }, { note: 'secret' }] } }
    const masked = maskPayload(payload, maskedPointers(findings))
    expect(masked).toEqual({ properties: { email: 'a•••@example.com', card: '•••• 4242', plan: 'pro', 'a/b': '•••xy', items: [{ note: 'x' }, { note: '•••' }] } })
    expect(payload.properties.email).toBe('ada@example.com')
  })

  it('ignores pointers the payload does not have', () => {
    expect(maskPayload({ a: 1 }, new Map([['/b/c', '•••']]))).toEqual({ a: 1 })
  })

  it('marks findings with their class', () => {
    expect(findingHighlights(findings.slice(0, 1))).toEqual([{ pointer: '/properties/email', label: 'yellow · email', tone: 'pii-field pii-yellow' }])
  })
})
