import { describe, expect, it, vi } from 'vitest'
import type { CatalogueEntry, Destination, ReplayJob } from '../../src-shared/api'
import { categoriesOf, createCatalogueStore, searchCatalogue } from './catalogue-store'
import { createDestinationsStore, upsertById } from './destinations-store'
import { createReplayStore, isActive, progressOf } from './replay-store'

const entry = (slug: string, name: string, categories: string[], unavailable: string | null = null): CatalogueEntry => ({ slug, id: '0'.repeat(24), segmentSlug: `actions-${slug}`, name, description: '', categories, authScheme: 'custom', actionCount: 1, presetCount: 0, unavailable, integrationNames: [name] })

describe('catalogue', () => {
  const entries = [entry('amplitude', 'Amplitude', ['Analytics']), entry('mixpanel', 'Mixpanel', ['Analytics']), entry('google-sheets', 'Google Sheets', ['Raw Data'], 'Needs Segment’s OAuth app'), entry('braze-cloud', 'Braze Cloud Mode (Actions)', ['Marketing Automation'])]

  it('searches names and slugs word by word, any case or accent, available first', () => {
    expect(searchCatalogue(entries, 'AMPL', '').map((e) => e.slug)).toEqual(['amplitude'])
    expect(searchCatalogue(entries, 'cloud braze', '').map((e) => e.slug)).toEqual(['braze-cloud'])
    expect(searchCatalogue(entries, '', '').map((e) => e.slug)).toEqual(['amplitude', 'braze-cloud', 'mixpanel', 'google-sheets'])
    expect(searchCatalogue(entries, 'á', 'Analytics').map((e) => e.slug)).toEqual(['amplitude', 'mixpanel'])
    expect(categoriesOf(entries)).toEqual(['Analytics', 'Marketing Automation', 'Raw Data'])
  })

  it('fetches a definition once even when asked twice at once', async () => {
    const catalogueDestination = vi.fn(async (slug: string) => ({ ...entry(slug, slug, []), settingsSchema: {}, settings: [], actions: [], presetSubscriptions: [] }))
    const store = createCatalogueStore({ catalogue: async () => entries, catalogueDestination })
    const [a, b] = await Promise.all([store.getState().detail('amplitude'), store.getState().detail('amplitude')])
    expect(a).toBe(b)
    await store.getState().detail('amplitude')
    expect(catalogueDestination).toHaveBeenCalledTimes(1)
  })
})

const destination = (id: number, name = `D${id}`): Destination => ({
  id,
  name,
  privacy: { red: 'pass', yellow: 'pass', green: 'pass' },
  kind: 'webhook',
  settings: { url: 'http://x/' },
  enabled: true,
  sourceIds: [],
  filters: [],
  consentCategories: [],
  limits: { maxInFlight: 1, eventsPerSecond: null },
  createdAt: '2024-01-01T00:00:00.000Z',
  status: { state: 'idle', cursor: 0, pending: 0, nextAttemptAt: null, lastError: null, failed: 0 }
})

describe('destinations store', () => {
  it('keeps the list in id order with the engine’s latest answer', async () => {
    expect(upsertById([destination(1), destination(3)], destination(2)).map((d) => d.id)).toEqual([1, 2, 3])
    const store = createDestinationsStore({
      listDestinations: async () => [destination(1)],
      createDestination: async (body) => ({ ...destination(2), name: body.name }),
      updateDestination: async (id, body) => ({ ...destination(id), enabled: body.enabled ?? true }),
      deleteDestination: async (id) => destination(id)
    })
    await store.getState().load()
    await store.getState().create({ name: 'Hook', kind: 'webhook', settings: { url: 'http://x/' } })
    await store.getState().update(1, { enabled: false })
    expect(store.getState().destinations.map((d) => [d.id, d.name, d.enabled])).toEqual([
      [1, 'D1', false],
      [2, 'Hook', true]
    ])
    await store.getState().remove(1)
    expect(store.getState().destinations.map((d) => d.id)).toEqual([2])
  })

  it('shows why the list could not load', async () => {
    const store = createDestinationsStore({ listDestinations: async () => Promise.reject(new Error('boom')) } as never)
    await store.getState().load()
    expect(store.getState()).toMatchObject({ loaded: false, error: 'boom' })
  })
})

const job = (id: number, state: ReplayJob['state'], processed = 0, total = 0): ReplayJob => ({ id, destinationId: 1, selection: { sourceIds: [1] }, state, total, processed, delivered: processed, filtered: 0, failed: 0, error: null, createdAt: '2024-01-01T00:00:00.000Z', finishedAt: null })

describe('replay store', () => {
  it('progress and activity of a job', () => {
    expect(progressOf(job(1, 'running', 5, 20))).toBe(0.25)
    expect(progressOf(job(1, 'running', 0, 0))).toBe(0)
    expect(progressOf(job(1, 'done', 0, 0))).toBe(1)
    expect([isActive(job(1, 'paused')), isActive(job(1, 'cancelled'))]).toEqual([true, false])
  })

  it('lists newest first and applies control answers', async () => {
    const createReplay = vi.fn(async () => job(3, 'running'))
    const store = createReplayStore({ listReplays: async () => [job(1, 'done'), job(2, 'running')], createReplay, controlReplay: async (id, action) => job(id, action === 'pause' ? 'paused' : 'running') })
    await store.getState().load()
    await store.getState().start({ destinationId: 1, sourceIds: [1] })
    expect(createReplay).toHaveBeenCalledWith({ destinationId: 1, sourceIds: [1], dryRun: false })
    await store.getState().control(2, 'pause')
    expect(store.getState().jobs.map((j) => [j.id, j.state])).toEqual([
      [3, 'running'],
      [2, 'paused'],
      [1, 'done']
    ])
  })
})
