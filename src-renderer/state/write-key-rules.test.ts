import { describe, expect, it } from 'vitest'
import type { Source } from '../../src-shared/api'
import { writeKeyProblem } from './write-key-rules'

const existing: Source[] = [{ id: 1, name: 'Web', writeKey: 'wk_web', autoCreated: false, createdAt: '2024-01-01T00:00:00Z', eventCount: 0, lastSeenAt: null }]

describe('writeKeyProblem', () => {
  it('accepts an empty key (the engine generates one) and a new valid key', () => {
    expect(writeKeyProblem('', existing)).toBeNull()
    expect(writeKeyProblem('wk_new-1.ci', existing)).toBeNull()
  })
  it('refuses spaces, non-ASCII and over-long keys', () => {
    expect(writeKeyProblem('has space', existing)).toMatch(/printable ASCII/)
    expect(writeKeyProblem('clé', existing)).toMatch(/printable ASCII/)
    expect(writeKeyProblem('k'.repeat(201), existing)).toMatch(/printable ASCII/)
  })
  it('names the source that already has the key', () => {
    expect(writeKeyProblem('wk_web', existing)).toBe('The write key "wk_web" already belongs to Web.')
  })
})
