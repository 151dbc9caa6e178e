import { describe, expect, it } from 'vitest'
import type { TrackingPlan } from '../../src-shared/plans'
import { planOfSource, plansScreenOf, withPlan } from './plans-store'

const plan = (id: number, name: string, sourceIds: number[]): TrackingPlan => ({ id, name, description: '', version: 1, rules: [], sourceIds, createdAt: '', updatedAt: '' })

describe('plans store', () => {
  it('moves a source to the plan it was connected to', () => {
    const list = withPlan([plan(1, 'B', [1, 2]), plan(2, 'A', [])], plan(2, 'A', [2]))
    expect(list.map((p) => [p.name, p.sourceIds])).toEqual([
      ['A', [2]],
      ['B', [1]]
    ])
    expect(planOfSource(list, 2)?.id).toBe(2)
    expect(planOfSource(list, 3)).toBeUndefined()
  })

  it('parses the screen paths', () => {
    expect(plansScreenOf('/plans')).toEqual({ screen: 'list' })
    expect(plansScreenOf('/plans/')).toEqual({ screen: 'list' })
    expect(plansScreenOf('/plans/new')).toEqual({ screen: 'new' })
    expect(plansScreenOf('/plans/12')).toEqual({ screen: 'edit', id: 12 })
    expect(plansScreenOf('/plans/12/versions')).toEqual({ screen: 'versions', id: 12 })
    expect(plansScreenOf('/plans/x')).toBeNull()
    expect(plansScreenOf('/planss')).toBeNull()
  })
})
