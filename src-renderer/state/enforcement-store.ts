// Enforcement settings per source (what a tracking plan blocks or omits at ingest), shared by the
// source's Enforcement panel and its Schema panel ("Block this event"), so either shows the other's change.

import { create } from 'zustand'
import type { SourceEnforcement, UpdateEnforcementRequest } from '../../src-shared/enforcement'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

export interface EnforcementState {
  bySource: Record<number, SourceEnforcement>
  errors: Record<number, string | null>
  load(sourceId: number): Promise<void>
  /** PUT the changed fields; the engine answers the whole setting, which replaces ours. Throws on refusal. */
  save(sourceId: number, changes: UpdateEnforcementRequest): Promise<SourceEnforcement>
}

export interface EnforcementDeps {
  get(sourceId: number): Promise<SourceEnforcement>
  put(sourceId: number, body: UpdateEnforcementRequest): Promise<SourceEnforcement>
}

export function createEnforcementStore(deps: EnforcementDeps) {
  return create<EnforcementState>()((set, get) => ({
    bySource: {},
    errors: {},
    async load(sourceId) {
      try {
        const setting = await deps.get(sourceId)
        set({ bySource: { ...get().bySource, [sourceId]: setting }, errors: { ...get().errors, [sourceId]: null } })
      } catch (error) {
        set({ errors: { ...get().errors, [sourceId]: errorMessage(error) } })
      }
    },
    async save(sourceId, changes) {
      const setting = await deps.put(sourceId, changes)
      set({ bySource: { ...get().bySource, [sourceId]: setting }, errors: { ...get().errors, [sourceId]: null } })
      return setting
    }
  }))
}

export const useEnforcement = createEnforcementStore({ get: (id) => api.getEnforcement(id), put: (id, body) => api.updateEnforcement(id, body) })

/** The fields of `draft` that differ from `saved` (a PUT of only those leaves the rest to whoever changed it). */
export function enforcementChanges(saved: SourceEnforcement, draft: SourceEnforcement): UpdateEnforcementRequest {
  const changes: UpdateEnforcementRequest = {}
  if (draft.unplannedEvents !== saved.unplannedEvents) changes.unplannedEvents = draft.unplannedEvents
  if (draft.unplannedProperties !== saved.unplannedProperties) changes.unplannedProperties = draft.unplannedProperties
  if (draft.violations !== saved.violations) changes.violations = draft.violations
  if (draft.forwardViolationsTo !== saved.forwardViolationsTo) changes.forwardViolationsTo = draft.forwardViolationsTo
  if (draft.blockedEvents.length !== saved.blockedEvents.length || draft.blockedEvents.some((e, i) => e !== saved.blockedEvents[i])) changes.blockedEvents = draft.blockedEvents
  return changes
}

export function withBlocked(list: readonly string[], name: string): string[] {
  return list.includes(name) ? [...list] : [...list, name]
}

export function withoutBlocked(list: readonly string[], name: string): string[] {
  return list.filter((e) => e !== name)
}
