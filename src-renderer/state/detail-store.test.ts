import { describe, expect, it, vi } from 'vitest'
import type { EventRecord } from '../../src-shared/api'
import { createDetailStore } from './detail-store'
import { summary } from './test-events'

const record = (id: number): EventRecord => ({ ...summary(id), originalTimestamp: null, sentAt: null, messageIdGenerated: false, payload: { type: 'track', event: `Event ${id}` }, validation: null, findings: [] })

describe('detail store', () => {
  it('opens an event, fetching it once and serving it from the cache after', async () => {
    const getEvent = vi.fn(async (id: string) => record(Number(id)))
    const store = createDetailStore(getEvent)
    store.getState().open('1')
    expect(store.getState()).toMatchObject({ selectedId: '1', record: null })
    await vi.waitFor(() => expect(store.getState().record?.id).toBe('1'))
    store.getState().open('2')
    await vi.waitFor(() => expect(store.getState().record?.id).toBe('2'))
    store.getState().open('1')
    expect(store.getState().record?.id).toBe('1')
    expect(getEvent).toHaveBeenCalledTimes(2)
  })

  it('ignores an answer for an event no longer selected (fast ↑/↓)', async () => {
    const answers = new Map<string, (r: EventRecord) => void>()
    const store = createDetailStore((id) => new Promise((resolve) => answers.set(id, resolve)))
    store.getState().open('1')
    store.getState().open('2')
    answers.get('2')!(record(2))
    answers.get('1')!(record(1))
    await vi.waitFor(() => expect(store.getState().record?.id).toBe('2'))
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().record?.id).toBe('2')
  })

  it('shows the error of a failed fetch, and closes cleanly', async () => {
    const store = createDetailStore(async () => {
      throw new Error('No event with id "9".')
    })
    store.getState().open('9')
    await vi.waitFor(() => expect(store.getState().error).toBe('No event with id "9".'))
    store.getState().close()
    expect(store.getState()).toMatchObject({ selectedId: null, record: null, error: null })
  })

  it('reloads the open event, keeping the old record on screen meanwhile and dropping the cached one', async () => {
    let version = 0
    const getEvent = vi.fn(async (id: string) => ({ ...record(Number(id)), quarantine: version++ === 0 ? ('held' as const) : ('released' as const) }))
    const store = createDetailStore(getEvent)
    store.getState().open('1')
    await vi.waitFor(() => expect(store.getState().record?.quarantine).toBe('held'))
    store.getState().reload()
    expect(store.getState().record?.quarantine).toBe('held')
    await vi.waitFor(() => expect(store.getState().record?.quarantine).toBe('released'))
    store.getState().open('2')
    store.getState().open('1')
    expect(store.getState().record?.quarantine).toBe('released')
    expect(getEvent).toHaveBeenCalledTimes(3)
  })
})
