import { describe, expect, it } from 'vitest'
import type { IdentityStatus, ProfileSummary } from '../../src-shared/identity'
import { appendPage, backlogOf } from './identity-store'

const status = (position: number, latestEventId: number): IdentityStatus => ({ enabled: true, position, latestEventId, rebuilding: false, profiles: 0, identities: 0, merges: 0, refusedMerges: 0 })
const profile = (id: number): ProfileSummary => ({ id, label: `p${id}`, userId: null, identities: 1, firstSeen: '', lastSeen: '' })

describe('identity store helpers', () => {
  it('counts the backlog of events not yet added to profiles, never below zero', () => {
    expect(backlogOf(status(90, 100))).toBe(10)
    expect(backlogOf(status(100, 100))).toBe(0)
    // A rebuild resets the position; a store emptied by retention can leave it ahead.
    expect(backlogOf(status(120, 100))).toBe(0)
  })

  it('appends a page without repeating a profile already listed', () => {
    expect(appendPage([profile(3), profile(2)], [profile(2), profile(1)]).map((p) => p.id)).toEqual([3, 2, 1])
  })
})
