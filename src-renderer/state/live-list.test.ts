import { describe, expect, it } from 'vitest'
import { applyBatches, emptyLiveList, mergeBackfill, resumeList, withEventPatched, withoutSource } from './live-list'
import { batch, ids, summary } from './test-events'

describe('applyBatches', () => {
  it('puts the newest first, across and within batches', () => {
    const state = applyBatches(emptyLiveList(), [batch(1, 3), batch(4, 5)], false)
    expect(ids(state.events)).toEqual([5, 4, 3, 2, 1])
    expect(state.received).toBe(5)
  })

  it('caps the list, keeping the newest', () => {
    let state = applyBatches(emptyLiveList(), [batch(1, 8)], false, 10)
    state = applyBatches(state, [batch(9, 12)], false, 10)
    expect(ids(state.events)).toEqual([12, 11, 10, 9, 8, 7, 6, 5, 4, 3])
    state = applyBatches(state, [batch(13, 40)], false, 10)
    expect(ids(state.events)).toEqual([40, 39, 38, 37, 36, 35, 34, 33, 32, 31])
    expect(state.received).toBe(40)
  })

  it('adds up the engine’s dropped counts', () => {
    const state = applyBatches(applyBatches(emptyLiveList(), [batch(1, 2, 7)], false), [batch(3, 3, 5)], false)
    expect(state.dropped).toBe(12)
  })

  it('while paused, freezes the list and counts what waits', () => {
    const following = applyBatches(emptyLiveList(), [batch(1, 3)], false)
    const paused = applyBatches(following, [batch(4, 6), batch(7, 7)], true)
    expect(paused.events).toBe(following.events)
    expect(ids(paused.pending)).toEqual([7, 6, 5, 4])
    expect(paused.newCount).toBe(4)
  })

  it('counts skipped events as new even though they have no rows', () => {
    const state = applyBatches(emptyLiveList(), [batch(10, 11)], true, 5, 100)
    expect(state.newCount).toBe(102)
    expect(state.received).toBe(102)
  })

  it('returns the same state for nothing new', () => {
    const state = emptyLiveList()
    expect(applyBatches(state, [], false)).toBe(state)
  })
})

describe('resumeList', () => {
  it('moves what waited on top and resets the counter', () => {
    const paused = applyBatches(applyBatches(emptyLiveList(), [batch(1, 2)], false), [batch(3, 4)], true)
    const resumed = resumeList(paused)
    expect(ids(resumed.events)).toEqual([4, 3, 2, 1])
    expect(resumed.pending).toEqual([])
    expect(resumed.newCount).toBe(0)
  })

  it('respects the cap', () => {
    const paused = applyBatches(applyBatches(emptyLiveList(), [batch(1, 4)], false, 5), [batch(5, 20)], true, 5)
    expect(ids(paused.pending)).toEqual([20, 19, 18, 17, 16])
    expect(paused.newCount).toBe(16)
    expect(ids(resumeList(paused, 5).events)).toEqual([20, 19, 18, 17, 16])
  })
})

describe('mergeBackfill', () => {
  it('adds stored events under the live ones, without duplicates, newest first', () => {
    const live = applyBatches(emptyLiveList(), [batch(9, 10)], false)
    const merged = mergeBackfill(live, [summary(9), summary(8), summary(7)])
    expect(ids(merged.events)).toEqual([10, 9, 8, 7])
  })

  it('leaves the state alone when there is nothing to add', () => {
    const live = applyBatches(emptyLiveList(), [batch(1, 1)], false)
    expect(mergeBackfill(live, [summary(1)])).toBe(live)
  })
})

describe('withoutSource', () => {
  it('drops a deleted source’s events from the list and from what waits while paused', () => {
    const e = (id: number, sourceId: number) => ({ ...summary(id), sourceId })
    const state = { ...emptyLiveList(), events: [e(3, 1), e(2, 2), e(1, 1)], pending: [e(4, 1), e(5, 2)] }
    const next = withoutSource(state, 1)
    expect(next.events.map((x) => x.id)).toEqual(['2'])
    expect(next.pending.map((x) => x.id)).toEqual(['5'])
  })
})

describe('withEventPatched', () => {
  it('changes the one event, shown or waiting, and keeps the others as they were', () => {
    const state = { ...emptyLiveList(), events: [summary(2, { quarantine: 'held' }), summary(1)], pending: [summary(3, { quarantine: 'held' })] }
    const shown = withEventPatched(state, '2', { quarantine: 'released' })
    expect(shown.events[0]!.quarantine).toBe('released')
    expect(shown.events[1]).toBe(state.events[1])
    expect(shown.pending).toBe(state.pending)
    expect(withEventPatched(state, '3', { quarantine: 'released' }).pending[0]!.quarantine).toBe('released')
    expect(withEventPatched(state, '9', { quarantine: 'released' })).toBe(state)
  })
})
