// The Violations screen: the report for the chosen source and range, and the sample event opened from
// one of its groups. A query change drops answers to the previous one; a refresh keeps the report on
// screen until the new one arrives (it is polled while the screen is open).

import { create } from 'zustand'
import type { EventRecord } from '../../src-shared/api'
import type { ViolationsRange, ViolationsReport } from '../../src-shared/enforcement'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export interface ViolationsReportQuery {
  source?: number
  range: ViolationsRange
}

export interface SampleSelection {
  /** The group the sample was opened from (views/violations/violations-url.ts groupKey). */
  groupKey: string
  eventId: string
}

export interface ViolationsState {
  query: ViolationsReportQuery | null
  report: ViolationsReport | null
  loading: boolean
  error: string | null
  sample: SampleSelection | null
  sampleRecord: EventRecord | null
  sampleError: string | null
  load(query: ViolationsReportQuery): void
  refresh(): void
  openSample(selection: SampleSelection): void
  closeSample(): void
}

export interface ViolationsDeps {
  fetchReport(query: ViolationsReportQuery, signal?: AbortSignal): Promise<ViolationsReport>
  getEvent(id: string, signal?: AbortSignal): Promise<EventRecord>
}

export function createViolationsStore(deps: ViolationsDeps) {
  let generation = 0
  let inflight: AbortController | null = null
  let sampleInflight: AbortController | null = null

  return create<ViolationsState>()((set, get) => {
    const fetch = (query: ViolationsReportQuery): void => {
      inflight?.abort()
      const controller = new AbortController()
      inflight = controller
      const mine = generation
      set({ loading: true })
      deps.fetchReport(query, controller.signal).then(
        (report) => mine === generation && set({ report, loading: false, error: null }),
        (error: unknown) => {
          if (mine !== generation || controller.signal.aborted) return
          set({ loading: false, error: errorMessage(error) })
        }
      )
    }

    return {
      query: null,
      report: null,
      loading: false,
      error: null,
      sample: null,
      sampleRecord: null,
      sampleError: null,
      load(query) {
        const previous = get().query
        if (previous && previous.source === query.source && previous.range === query.range) return get().refresh()
        generation++
        sampleInflight?.abort()
        set({ query, report: null, error: null, sample: null, sampleRecord: null, sampleError: null })
        fetch(query)
      },
      refresh() {
        const query = get().query
        if (query && !get().loading) fetch(query)
      },
      openSample(selection) {
        sampleInflight?.abort()
        const controller = new AbortController()
        sampleInflight = controller
        set({ sample: selection, sampleRecord: null, sampleError: null })
        deps.getEvent(selection.eventId, controller.signal).then(
          (record) => get().sample === selection && set({ sampleRecord: record }),
          (error: unknown) => !controller.signal.aborted && get().sample === selection && set({ sampleError: errorMessage(error) })
        )
      },
      closeSample() {
        sampleInflight?.abort()
        set({ sample: null, sampleRecord: null, sampleError: null })
      }
    }
  })
}

export const useViolations = createViolationsStore({
  fetchReport: (query, signal) => api.violations(query, signal),
  getEvent: api.getEvent
})
