// The Privacy screen's state: the PII inventory (and its inbox), matchers with the settings that classify
// them, each source's "block red", suppressions and deletions. Writes put the engine's answer into the
// state; refusals are thrown as ApiError so the view can show them on the field the engine names.

import { create } from 'zustand'
import type { Classification, Deletion, MatcherInfo, PiiField, PiiInventory, PrivacySettings, SourcePrivacy, SuppressRequest, Suppression, TriageRequest } from '../../src-shared/privacy'
import { api, type PrivacySettingsInput } from '../api/client'
import { errorMessage } from '../api/api-error'

export interface PrivacyApi {
  piiInventory(sourceId?: number, signal?: AbortSignal): Promise<PiiInventory>
  triagePiiField(body: TriageRequest): Promise<PiiField>
  privacyMatchers(): Promise<MatcherInfo[]>
  privacySettings(): Promise<PrivacySettings>
  updatePrivacySettings(body: PrivacySettingsInput): Promise<PrivacySettings>
  sourcePrivacy(sourceId: number): Promise<SourcePrivacy>
  updateSourcePrivacy(sourceId: number, body: SourcePrivacy): Promise<SourcePrivacy>
  suppressions(): Promise<Suppression[]>
  suppress(body: SuppressRequest): Promise<Suppression>
  unsuppress(body: SuppressRequest): Promise<boolean>
  deletions(): Promise<Deletion[]>
  requestDeletion(body: SuppressRequest): Promise<Deletion>
}

export interface PrivacyState {
  inventory: PiiInventory | null
  /** The source the inventory is filtered to (undefined: all). */
  inventorySource: number | undefined
  matchers: MatcherInfo[] | null
  settings: PrivacySettings | null
  sourcePrivacy: Record<number, SourcePrivacy>
  suppressions: Suppression[] | null
  deletions: Deletion[] | null
  /** The last failed load, per part of the screen. */
  errors: Partial<Record<'inventory' | 'matchers' | 'sources' | 'suppressions' | 'deletions', string>>
  loadInventory(sourceId?: number): Promise<void>
  triage(field: PiiField, classification?: Classification): Promise<void>
  loadMatchers(): Promise<void>
  saveSettings(settings: PrivacySettingsInput): Promise<void>
  loadSourcePrivacy(sourceIds: readonly number[]): Promise<void>
  setBlockRed(sourceId: number, blockRed: boolean): Promise<void>
  loadSuppressions(): Promise<void>
  suppress(body: SuppressRequest): Promise<Suppression>
  unsuppress(body: SuppressRequest): Promise<boolean>
  loadDeletions(): Promise<void>
  requestDeletion(body: SuppressRequest): Promise<Deletion>
}

export const fieldKey = (f: Pick<PiiField, 'sourceId' | 'path' | 'matcher'>): string => `${f.sourceId}\u0000${f.path}\u0000${f.matcher}`

export function createPrivacyStore(client: PrivacyApi) {
  let inventoryRequest: AbortController | null = null

  return create<PrivacyState>()((set, get) => {
    const failed = (part: keyof PrivacyState['errors'], error: unknown): void => set({ errors: { ...get().errors, [part]: errorMessage(error) } })
    const ok = (part: keyof PrivacyState['errors']): void => {
      if (get().errors[part] === undefined) return
      const errors = { ...get().errors }
      delete errors[part]
      set({ errors })
    }

    return {
      inventory: null,
      inventorySource: undefined,
      matchers: null,
      settings: null,
      sourcePrivacy: {},
      suppressions: null,
      deletions: null,
      errors: {},

      async loadInventory(sourceId) {
        inventoryRequest?.abort()
        const controller = new AbortController()
        inventoryRequest = controller
        // Another source's fields must not stay on screen under this one's name.
        if (sourceId !== get().inventorySource) set({ inventory: null, inventorySource: sourceId })
        try {
          const inventory = await client.piiInventory(sourceId, controller.signal)
          if (inventoryRequest !== controller) return
          set({ inventory })
          ok('inventory')
        } catch (error) {
          if (!controller.signal.aborted) failed('inventory', error)
        }
      },

      async triage(field, classification) {
        await client.triagePiiField({ sourceId: field.sourceId, path: field.path, matcher: field.matcher, ...(classification ? { classification } : {}) })
        // A reclassification applies to the path in every source: reload rather than patch one row.
        await get().loadInventory(get().inventorySource)
        if (classification && get().settings) await get().loadMatchers()
      },

      async loadMatchers() {
        try {
          const [matchers, settings] = await Promise.all([client.privacyMatchers(), client.privacySettings()])
          set({ matchers, settings })
          ok('matchers')
        } catch (error) {
          failed('matchers', error)
        }
      },

      async saveSettings(settings) {
        const saved = await client.updatePrivacySettings(settings)
        set({ settings: saved })
        // The classes in force (and the custom matchers) changed: the list comes from the engine.
        set({ matchers: await client.privacyMatchers() })
        if (get().inventory) await get().loadInventory(get().inventorySource)
      },

      async loadSourcePrivacy(sourceIds) {
        try {
          const entries = await Promise.all(sourceIds.map(async (id) => [id, await client.sourcePrivacy(id)] as const))
          set({ sourcePrivacy: { ...get().sourcePrivacy, ...Object.fromEntries(entries) } })
          ok('sources')
        } catch (error) {
          failed('sources', error)
        }
      },

      async setBlockRed(sourceId, blockRed) {
        const saved = await client.updateSourcePrivacy(sourceId, { blockRed })
        set({ sourcePrivacy: { ...get().sourcePrivacy, [sourceId]: saved } })
      },

      async loadSuppressions() {
        try {
          set({ suppressions: await client.suppressions() })
          ok('suppressions')
        } catch (error) {
          failed('suppressions', error)
        }
      },

      async suppress(body) {
        const suppression = await client.suppress(body)
        await get().loadSuppressions()
        return suppression
      },

      async unsuppress(body) {
        const removed = await client.unsuppress(body)
        await get().loadSuppressions()
        return removed
      },

      async loadDeletions() {
        try {
          set({ deletions: await client.deletions() })
          ok('deletions')
        } catch (error) {
          failed('deletions', error)
        }
      },

      async requestDeletion(body) {
        const deletion = await client.requestDeletion(body)
        set({ deletions: [deletion, ...(get().deletions ?? []).filter((d) => d.id !== deletion.id)] })
        return deletion
      }
    }
  })
}

export const usePrivacy = createPrivacyStore(api)

/** What `matcherClassifications` should hold after picking `classification` for a built-in matcher. */
export function withMatcherClass(settings: PrivacySettings, matcher: MatcherInfo, classification: Classification): PrivacySettings {
  if (matcher.custom) return { ...settings, custom: settings.custom.map((c) => (c.id === matcher.id ? { ...c, classification } : c)) }
  const classes = { ...settings.matcherClassifications }
  // Only differences from the default are kept, so a later change of the default still reaches it.
  if (classification === matcher.defaultClassification) delete classes[matcher.id]
  else classes[matcher.id] = classification
  return { ...settings, matcherClassifications: classes }
}
