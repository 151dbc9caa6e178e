import { describe, expect, it, vi } from 'vitest'
import type { EventRecord } from '../../src-shared/api'
import type { ViolationsReport } from '../../src-shared/enforcement'
import { createViolationsStore, type ViolationsReportQuery } from './violations-store'
import { summary } from './test-events'

const report = (quarantined: number): ViolationsReport => ({ range: '24h', from: '', to: '', bucketMs: 3_600_000, eventsWithViolations: 1, quarantined, quarantineExpired: 0, groups: [] })
const record = (id: string): EventRecord => ({ ...summary(Number(id)), originalTimestamp: null, sentAt: null, messageIdGenerated: false, payload: {}, validation: null, findings: [] })

function deferred<T>() {
  let resolve!: (value: T) => void
  const promise = new Promise<T>((r) => (resolve = r))
  return { promise, resolve }
}

describe('violations store', () => {
  it('shows the answer to the latest query only', async () => {
    const answers: { query: ViolationsReportQuery; d: ReturnType<typeof deferred<ViolationsReport>> }[] = []
    const store = createViolationsStore({
      fetchReport: (query) => {
        const d = deferred<ViolationsReport>()
        answers.push({ query, d })
        return d.promise
      },
      getEvent: async (id) => record(id)
    })
    store.getState().load({ range: '24h' })
    store.getState().load({ range: '1h', source: 2 })
    answers[1]!.d.resolve(report(2))
    answers[0]!.d.resolve(report(1))
    await vi.waitFor(() => expect(store.getState().report?.quarantined).toBe(2))
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().report?.quarantined).toBe(2)
    expect(answers.map((a) => a.query)).toEqual([{ range: '24h' }, { range: '1h', source: 2 }])
  })

  it('refreshes the same query without clearing the report or the open sample', async () => {
    let n = 0
    const store = createViolationsStore({ fetchReport: async () => report(++n), getEvent: async (id) => record(id) })
    store.getState().load({ range: '24h' })
    await vi.waitFor(() => expect(store.getState().report?.quarantined).toBe(1))
    store.getState().openSample({ groupKey: 'g', eventId: '7' })
    await vi.waitFor(() => expect(store.getState().sampleRecord?.id).toBe('7'))
    store.getState().load({ range: '24h' })
    expect(store.getState().report?.quarantined).toBe(1)
    await vi.waitFor(() => expect(store.getState().report?.quarantined).toBe(2))
    expect(store.getState().sampleRecord?.id).toBe('7')
    store.getState().load({ range: '7d' })
    expect(store.getState()).toMatchObject({ report: null, sample: null, sampleRecord: null })
  })

  it('keeps the newest sample choice and names a failed fetch', async () => {
    const pending = new Map<string, ReturnType<typeof deferred<EventRecord>>>()
    const store = createViolationsStore({
      fetchReport: async () => report(0),
      getEvent: (id) => {
        if (id === 'gone') return Promise.reject(new Error('No event with id "gone".'))
        const d = deferred<EventRecord>()
        pending.set(id, d)
        return d.promise
      }
    })
    store.getState().openSample({ groupKey: 'g', eventId: '1' })
    store.getState().openSample({ groupKey: 'g', eventId: '2' })
    pending.get('2')!.resolve(record('2'))
    pending.get('1')!.resolve(record('1'))
    await vi.waitFor(() => expect(store.getState().sampleRecord?.id).toBe('2'))
    await new Promise((r) => setTimeout(r, 0))
    expect(store.getState().sampleRecord?.id).toBe('2')
    store.getState().openSample({ groupKey: 'g', eventId: 'gone' })
    await vi.waitFor(() => expect(store.getState().sampleError).toBe('No event with id "gone".'))
  })
})
