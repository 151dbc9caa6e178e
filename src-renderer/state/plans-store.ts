// Tracking plans: the list, the draft handed from import / inference to the editor before it is
// saved, and the screen's paths (/plans, /plans/new, /plans/<id>, /plans/<id>/versions).

import { create } from 'zustand'
import type { PlanRule, TrackingPlan } from '../../src-shared/plans'
import { api } from '../api/client'
import { errorMessage } from '../api/api-error'

/** A plan not saved yet: what an import or "Infer from traffic" produced, reviewed in the editor. */
export interface PlanDraft {
  name: string
  description: string
  rules: PlanRule[]
  /** Where it came from, shown above the editor. */
  origin: string
}

export interface PlansState {
  plans: TrackingPlan[]
  loaded: boolean
  error: string | null
  draft: PlanDraft | null
  load(): Promise<void>
  /** Puts a saved or changed plan into the list; a source moves to its new plan (a source has at most one). */
  upsert(plan: TrackingPlan): void
  remove(id: number): Promise<void>
  setDraft(draft: PlanDraft | null): void
}

export const usePlans = create<PlansState>()((set, get) => ({
  plans: [],
  loaded: false,
  error: null,
  draft: null,
  async load() {
    try {
      set({ plans: await api.listPlans(), loaded: true, error: null })
    } catch (error) {
      set({ error: errorMessage(error), loaded: true })
    }
  },
  upsert(plan) {
    set({ plans: withPlan(get().plans, plan) })
  },
  async remove(id) {
    await api.deletePlan(id)
    set({ plans: get().plans.filter((p) => p.id !== id) })
  },
  setDraft(draft) {
    set({ draft })
  }
}))

/** The list with one plan replaced or added; its sources leave every other plan. */
export function withPlan(plans: readonly TrackingPlan[], plan: TrackingPlan): TrackingPlan[] {
  const taken = new Set(plan.sourceIds)
  const others = plans.filter((p) => p.id !== plan.id).map((p) => (p.sourceIds.some((s) => taken.has(s)) ? { ...p, sourceIds: p.sourceIds.filter((s) => !taken.has(s)) } : p))
  return [...others, plan].sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id)
}

/** The plan a source is connected to, if any. */
export function planOfSource(plans: readonly TrackingPlan[], sourceId: number): TrackingPlan | undefined {
  return plans.find((p) => p.sourceIds.includes(sourceId))
}

export const PLANS_PATH = '/plans'
export type PlansScreen = { screen: 'list' } | { screen: 'new' } | { screen: 'edit'; id: number } | { screen: 'versions'; id: number }

export function plansScreenOf(path: string): PlansScreen | null {
  const clean = path.length > 1 ? path.replace(/\/+$/, '') : path
  if (clean === PLANS_PATH) return { screen: 'list' }
  if (clean === `${PLANS_PATH}/new`) return { screen: 'new' }
  const m = /^\/plans\/(\d{1,15})(\/versions)?$/.exec(clean)
  if (!m) return null
  return m[2] ? { screen: 'versions', id: Number(m[1]) } : { screen: 'edit', id: Number(m[1]) }
}

export const planPath = (id: number): string => `${PLANS_PATH}/${id}`
export const planVersionsPath = (id: number): string => `${PLANS_PATH}/${id}/versions`
