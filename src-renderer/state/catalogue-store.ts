// The Action destinations catalogue: the list is fetched once and searched here (a few hundred
// entries: instant, no request per keystroke); a destination's full definition is fetched on choice.

import { create } from 'zustand'
import type { CatalogueDestination, CatalogueEntry } from '../../src-shared/api'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export interface CatalogueApi {
  catalogue(): Promise<CatalogueEntry[]>
  catalogueDestination(slug: string): Promise<CatalogueDestination>
}

export interface CatalogueState {
  entries: CatalogueEntry[]
  loaded: boolean
  error: string | null
  details: Record<string, CatalogueDestination>
  load(): Promise<void>
  detail(slug: string): Promise<CatalogueDestination>
}

export function createCatalogueStore(client: CatalogueApi) {
  const inflight = new Map<string, Promise<CatalogueDestination>>()
  return create<CatalogueState>()((set, get) => ({
    entries: [],
    loaded: false,
    error: null,
    details: {},
    async load() {
      if (get().loaded) return
      try {
        set({ entries: await client.catalogue(), loaded: true, error: null })
      } catch (error) {
        set({ error: errorMessage(error) })
      }
    },
    detail(slug) {
      const known = get().details[slug]
      if (known) return Promise.resolve(known)
      let pending = inflight.get(slug)
      if (!pending) {
        pending = client.catalogueDestination(slug).then(
          (destination) => {
            set({ details: { ...get().details, [slug]: destination } })
            inflight.delete(slug)
            return destination
          },
          (error: unknown) => {
            inflight.delete(slug)
            throw error
          }
        )
        inflight.set(slug, pending)
      }
      return pending
    }
  }))
}

export const useCatalogue = createCatalogueStore(api)

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase()
}

/** Entries whose name or slug contains every word of `query`, in `category` when given; available ones first. */
export function searchCatalogue(entries: readonly CatalogueEntry[], query: string, category: string): CatalogueEntry[] {
  const words = fold(query).split(/\s+/).filter(Boolean)
  const matches = entries.filter((entry) => {
    if (category && !entry.categories.some((c) => fold(c) === fold(category))) return false
    const haystack = fold(`${entry.name} ${entry.slug}`)
    return words.every((w) => haystack.includes(w))
  })
  return matches.sort((a, b) => Number(a.unavailable !== null) - Number(b.unavailable !== null) || a.name.localeCompare(b.name))
}

export function categoriesOf(entries: readonly CatalogueEntry[]): string[] {
  return categoryOptions(entries).map((o) => o.category)
}

/** Matches scripts/actions-categories.mjs: destinations no category fits. Listed last, not among the real ones. */
const OTHER = 'Other'

/** The categories present, A–Z with "Other" last, each with how many destinations it holds: the picker's select. */
export function categoryOptions(entries: readonly CatalogueEntry[]): { category: string; count: number; label: string }[] {
  const counts = new Map<string, number>()
  for (const entry of entries) for (const category of new Set(entry.categories)) counts.set(category, (counts.get(category) ?? 0) + 1)
  return [...counts]
    .sort(([a], [b]) => Number(a === OTHER) - Number(b === OTHER) || a.localeCompare(b))
    .map(([category, count]) => ({ category, count, label: `${category} (${count})` }))
}
