import { describe, expect, it } from 'vitest'
import { DEFAULT_ENFORCEMENT, type SourceEnforcement, type UpdateEnforcementRequest } from '../../src-shared/enforcement'
import { createEnforcementStore, enforcementChanges, withBlocked, withoutBlocked } from './enforcement-store'

describe('enforcement store', () => {
  it('loads per source, saves changes, and keeps the engine’s answer', async () => {
    const saved = new Map<number, SourceEnforcement>([[1, { ...DEFAULT_ENFORCEMENT }]])
    const puts: [number, UpdateEnforcementRequest][] = []
    const store = createEnforcementStore({
      get: async (id) => {
        const s = saved.get(id)
        if (!s) throw new Error(`No source with id ${id}.`)
        return s
      },
      put: async (id, body) => {
        puts.push([id, body])
        const next = { ...saved.get(id)!, ...body }
        saved.set(id, next)
        return next
      }
    })
    await store.getState().load(1)
    await store.getState().load(9)
    expect(store.getState().bySource[1]).toEqual(DEFAULT_ENFORCEMENT)
    expect(store.getState().errors[9]).toBe('No source with id 9.')
    await store.getState().save(1, { blockedEvents: ['Debug'] })
    expect(store.getState().bySource[1]!.blockedEvents).toEqual(['Debug'])
    expect(puts).toEqual([[1, { blockedEvents: ['Debug'] }]])
  })

  it('sends only what changed', () => {
    const saved: SourceEnforcement = { ...DEFAULT_ENFORCEMENT, blockedEvents: ['A'] }
    expect(enforcementChanges(saved, { ...saved })).toEqual({})
    expect(enforcementChanges(saved, { ...saved, violations: 'block', forwardViolationsTo: 3, blockedEvents: ['A', 'B'] })).toEqual({ violations: 'block', forwardViolationsTo: 3, blockedEvents: ['A', 'B'] })
    expect(enforcementChanges({ ...saved, forwardViolationsTo: 3 }, { ...saved, forwardViolationsTo: null })).toEqual({ forwardViolationsTo: null })
  })

  it('adds a blocked name once and removes it', () => {
    expect(withBlocked(['A'], 'A')).toEqual(['A'])
    expect(withBlocked(['A'], 'B')).toEqual(['A', 'B'])
    expect(withoutBlocked(['A', 'B'], 'A')).toEqual(['B'])
  })
})
