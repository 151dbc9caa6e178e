// Identity resolution's shared state: the status line, the profile search with its pages, the computed
// traits and audiences lists, and the merge rules. One profile's page keeps its own data (views/profiles).

import { create } from 'zustand'
import type { Audience, ComputedTrait, IdentitySettings, IdentityStatus, ProfileSummary } from '../../src-shared/identity'
import { errorMessage } from '../api/api-error'
import { api } from '../api/client'

export const PROFILES_PAGE = 50

export interface IdentityState {
  status: IdentityStatus | null
  q: string
  profiles: ProfileSummary[]
  next: string | null
  loading: boolean
  /** The search has answered at least once for the current `q`. */
  loaded: boolean
  error: string | null
  traits: ComputedTrait[] | null
  audiences: Audience[] | null
  settings: IdentitySettings | null
  /** Refreshes the status line; answers the status read (null when it could not be read). */
  loadStatus(): Promise<IdentityStatus | null>
  search(q: string): Promise<void>
  loadMore(): Promise<void>
  loadTraits(): Promise<void>
  loadAudiences(): Promise<void>
  loadSettings(): Promise<void>
  saveSettings(settings: IdentitySettings, rebuild: boolean): Promise<IdentitySettings>
}

/** Events stored but not yet added to profiles. */
export function backlogOf(status: IdentityStatus): number {
  return Math.max(0, status.latestEventId - status.position)
}

/** Appends a page, dropping profiles already listed (a profile seen again moves up and could repeat). */
export function appendPage(list: readonly ProfileSummary[], page: readonly ProfileSummary[]): ProfileSummary[] {
  const seen = new Set(list.map((p) => p.id))
  return [...list, ...page.filter((p) => !seen.has(p.id))]
}

let searchAbort: AbortController | null = null

export const useIdentity = create<IdentityState>()((set, get) => ({
  status: null,
  q: '',
  profiles: [],
  next: null,
  loading: false,
  loaded: false,
  error: null,
  traits: null,
  audiences: null,
  settings: null,
  async loadStatus() {
    try {
      const status = await api.identityStatus()
      set({ status })
      return status
    } catch {
      // The status line is a hint; the screen's own requests report failures.
      return null
    }
  },
  async search(q) {
    searchAbort?.abort()
    const abort = (searchAbort = new AbortController())
    set({ q, loading: true, error: null, ...(q === get().q ? {} : { loaded: false }) })
    try {
      const page = await api.listProfiles({ q, limit: PROFILES_PAGE }, abort.signal)
      if (abort.signal.aborted) return
      set({ profiles: page.profiles, next: page.next, loading: false, loaded: true })
    } catch (error) {
      if (abort.signal.aborted) return
      set({ loading: false, loaded: true, error: errorMessage(error) })
    }
  },
  async loadMore() {
    const { next, loading, q } = get()
    if (!next || loading) return
    set({ loading: true })
    try {
      const page = await api.listProfiles({ q, limit: PROFILES_PAGE, cursor: next })
      if (get().q !== q) return
      set({ profiles: appendPage(get().profiles, page.profiles), next: page.next, loading: false })
    } catch (error) {
      set({ loading: false, error: errorMessage(error) })
    }
  },
  async loadTraits() {
    try {
      set({ traits: await api.computedTraits() })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async loadAudiences() {
    try {
      set({ audiences: await api.audiences() })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async loadSettings() {
    try {
      set({ settings: await api.identitySettings() })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async saveSettings(settings, rebuild) {
    const saved = await api.updateIdentitySettings({ ...settings, rebuild })
    set({ settings: saved })
    void get().loadStatus()
    return saved
  }
}))
