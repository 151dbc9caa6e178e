// Sources: the list (names for event rows, write keys for snippets and "copy as curl") and the
// create / rename / delete actions of the Sources screen.

import { create } from 'zustand'
import type { CreateSourceRequest, Source } from '../../src-shared/api'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export interface SourcesState {
  sources: Source[]
  loaded: boolean
  error: string | null
  load(): Promise<void>
  create(request: CreateSourceRequest): Promise<Source>
  rename(id: number, name: string): Promise<Source>
  remove(id: number): Promise<void>
}

export const useSources = create<SourcesState>()((set, get) => ({
  sources: [],
  loaded: false,
  error: null,
  async load() {
    try {
      set({ sources: await api.listSources(), loaded: true, error: null })
    } catch (error) {
      set({ error: errorMessage(error) })
    }
  },
  async create(request) {
    const source = await api.createSource(request)
    set({ sources: [...get().sources.filter((s) => s.id !== source.id), source] })
    return source
  },
  async rename(id, name) {
    const source = await api.updateSource(id, { name })
    set({ sources: get().sources.map((s) => (s.id === id ? source : s)) })
    return source
  },
  async remove(id) {
    await api.deleteSource(id)
    set({ sources: get().sources.filter((s) => s.id !== id) })
  }
}))

export function findSource(sources: readonly Source[], id: number): Source | undefined {
  return sources.find((s) => s.id === id)
}
