// Applies a checked config file to an engine's store: by name, create or update; never delete what the file
// does not mention. Everything that could refuse the file is checked first (planConfig), against the
// database as it is, so a bad file changes nothing. Applying the same file twice changes nothing the second time.

import type { DestinationFilter, DestinationKind, DestinationSettings } from '../../../src-shared/api'
import type { TrackingPlan } from '../../../src-shared/plans'
import type { EngineContext } from '../context'
import type { DestinationRow } from '../store/destinations'
import { ConfigFileError } from './errors'
import type { ConfigSpec, DestinationSpec, PlanSpec, SourceSpec } from './schema'

export interface ApplySummary {
  sources: { created: string[]; renamed: string[]; unchanged: string[] }
  destinations: { created: string[]; updated: string[]; unchanged: string[] }
  trackingPlans: { created: string[]; updated: string[]; unchanged: string[] }
}

type SourceStep = { spec: SourceSpec; action: 'create' } | { spec: SourceSpec; action: 'rename' | 'unchanged'; id: number }
type DestinationStep = { spec: DestinationSpec; current: DestinationRow | null }
type PlanStep = { spec: PlanSpec; current: TrackingPlan | null }

export interface ConfigPlan {
  spec: ConfigSpec
  sources: SourceStep[]
  destinations: DestinationStep[]
  trackingPlans: PlanStep[]
  /** Source names the file uses but does not declare, resolved to existing sources. */
  existingSources: Map<string, number>
}

interface SourceLike {
  id: number
  name: string
  writeKey: string
}

/** Everything the file asks, checked against the current sources and destinations; throws before any change. */
export function planConfig(spec: ConfigSpec, sources: SourceLike[], destinations: DestinationRow[], plans: TrackingPlan[] = []): ConfigPlan {
  const fail = (field: string, problem: string): never => {
    throw new ConfigFileError(spec.file, field, problem)
  }
  const sourceSteps = spec.sources.map((s): SourceStep => {
    const byKey = sources.find((c) => c.writeKey === s.writeKey)
    if (byKey) return { spec: s, action: byKey.name === s.name ? 'unchanged' : 'rename', id: byKey.id }
    const byName = sources.find((c) => c.name === s.name)
    if (byName) fail(`${s.at}.writeKey`, `a source named "${s.name}" already exists with the write key "${byName.writeKey}", and a write key cannot change: use that key in the file, or rename or delete that source`)
    return { spec: s, action: 'create' }
  })

  const declared = new Set(spec.sources.map((s) => s.name))
  const existingSources = new Map<string, number>()
  const resolve = (sourceName: string, field: string): void => {
    if (declared.has(sourceName) || existingSources.has(sourceName)) return
    const matches = sources.filter((c) => c.name === sourceName)
    if (matches.length === 0) fail(field, `no source named "${sourceName}": declare it under "sources"`)
    if (matches.length > 1) fail(field, `${matches.length} sources are named "${sourceName}": declare the one you mean under "sources" (with its write key)`)
    existingSources.set(sourceName, matches[0]!.id)
  }
  const destinationSteps = spec.destinations.map((d): DestinationStep => {
    d.sourceNames.forEach((n, i) => resolve(n, `${d.at}.sourceNames[${i}]`))
    d.filters.forEach((f, i) => f.sourceNames.forEach((n, j) => resolve(n, `${d.at}.filters[${i}].sourceNames[${j}]`)))
    const same = destinations.filter((c) => c.name === d.name)
    if (same.length > 1) fail(`${d.at}.name`, `${same.length} destinations are named "${d.name}": rename them so the file can tell them apart`)
    const current = same[0] ?? null
    if (current && current.kind !== d.kind) fail(`${d.at}.kind`, `the destination "${d.name}" exists with kind "${current.kind}", and a kind cannot change: give this one another name, or delete that one`)
    return { spec: d, current }
  })
  spec.sources.forEach((s) => {
    const target = s.enforcement?.forwardViolationsTo
    if (target) resolve(target, `${s.at}.enforcement.forwardViolationsTo`)
  })
  const planSteps = spec.trackingPlans.map((p): PlanStep => {
    p.sourceNames.forEach((n, i) => resolve(n, `${p.at}.sourceNames[${i}]`))
    const same = plans.filter((c) => c.name === p.name)
    if (same.length > 1) fail(`${p.at}.name`, `${same.length} tracking plans are named "${p.name}": rename them so the file can tell them apart`)
    return { spec: p, current: same[0] ?? null }
  })
  return { spec, sources: sourceSteps, destinations: destinationSteps, trackingPlans: planSteps, existingSources }
}

export interface ApplyOptions {
  /** Called for each destination created or changed (the router's refresh, once it runs). */
  changed?: (destinationId: number) => void
}

/** What applying needs; `plans` (plan reads) only when the file has tracking plans. */
export type ApplyContext = Pick<EngineContext, 'sources' | 'destinations' | 'store' | 'secrets'> & { plans?: Pick<EngineContext['plans'], 'list'> }

/** Checks the whole file, then applies it. */
export async function applyConfig(ctx: ApplyContext, spec: ConfigSpec, options: ApplyOptions = {}): Promise<ApplySummary> {
  if (spec.trackingPlans.length > 0 && !ctx.plans) throw new ConfigFileError(spec.file, 'trackingPlans', 'tracking plans cannot be applied here: the engine gave no access to its plans')
  const plan = planConfig(spec, ctx.sources.list(), ctx.destinations.list(), ctx.plans?.list() ?? [])
  const summary: ApplySummary = { sources: { created: [], renamed: [], unchanged: [] }, destinations: { created: [], updated: [], unchanged: [] }, trackingPlans: { created: [], updated: [], unchanged: [] } }
  const ids = new Map(plan.existingSources)

  for (const step of plan.sources) {
    if (step.action === 'create') ids.set(step.spec.name, (await ctx.sources.create(step.spec.name, step.spec.writeKey)).id)
    else {
      if (step.action === 'rename') await ctx.sources.rename(step.id, step.spec.name)
      ids.set(step.spec.name, step.id)
    }
    summary.sources[step.action === 'create' ? 'created' : step.action === 'rename' ? 'renamed' : 'unchanged'].push(step.spec.name)
  }

  const idsOf = (names: string[]): number[] => names.map((n) => ids.get(n)!)
  for (const { spec: d, current } of plan.destinations) {
    const wanted = {
      name: d.name,
      settings: d.settings,
      enabled: d.enabled,
      sourceIds: idsOf(d.sourceNames),
      filters: d.filters.map(({ filter, sourceNames }): DestinationFilter => (sourceNames.length > 0 ? { ...filter, sourceIds: idsOf(sourceNames) } : filter)),
      consentCategories: d.consentCategories,
      limits: d.limits
    }
    if (!current) {
      const id = await ctx.store.command('destinations.create', { ...wanted, kind: d.kind, settings: await seal(ctx, d.kind, d.settings) })
      options.changed?.(id)
      summary.destinations.created.push(d.name)
      continue
    }
    const changes = changedFields(current, wanted)
    if (Object.keys(changes).length === 0) {
      summary.destinations.unchanged.push(d.name)
      continue
    }
    if (changes.settings) changes.settings = await seal(ctx, d.kind, d.settings)
    await ctx.store.command('destinations.update', { id: current.id, ...changes })
    options.changed?.(current.id)
    summary.destinations.updated.push(d.name)
  }

  for (const { spec: p, current } of plan.trackingPlans) {
    const sourceIds = [...new Set(idsOf(p.sourceNames))].sort((x, y) => x - y)
    if (!current) {
      await ctx.store.command('plans.create', { name: p.name, description: p.description, rules: p.rules, note: 'From the config file', sourceIds })
      summary.trackingPlans.created.push(p.name)
      continue
    }
    // Rules only when they differ: every rules change is a new version, and re-applying must not make one.
    const rulesChanged = stableJson(current.rules) !== stableJson(p.rules)
    const descriptionChanged = current.description !== p.description
    const sourcesChanged = stableJson([...current.sourceIds].sort((x, y) => x - y)) !== stableJson(sourceIds)
    if (!rulesChanged && !descriptionChanged && !sourcesChanged) {
      summary.trackingPlans.unchanged.push(p.name)
      continue
    }
    await ctx.store.command('plans.update', {
      id: current.id,
      description: descriptionChanged ? p.description : undefined,
      rules: rulesChanged ? p.rules : undefined,
      note: rulesChanged ? 'From the config file' : null,
      sourceIds: sourcesChanged ? sourceIds : undefined
    })
    summary.trackingPlans.updated.push(p.name)
  }

  // Enforcement as the file says, for the sources that say it (writing the same settings again changes nothing).
  for (const s of spec.sources) {
    if (!s.enforcement) continue
    const target = s.enforcement.forwardViolationsTo
    const enforcement = { ...s.enforcement, forwardViolationsTo: target === null ? null : ids.get(target)! }
    await ctx.store.command('sources.setEnforcement', { sourceId: ids.get(s.name)!, enforcement: JSON.stringify(enforcement) })
  }
  return summary
}

function seal(ctx: Pick<EngineContext, 'secrets'>, kind: DestinationKind, settings: DestinationSettings): Promise<DestinationSettings> {
  return ctx.secrets.seal(kind, settings)
}

type Wanted = Pick<DestinationRow, 'name' | 'settings' | 'enabled' | 'sourceIds' | 'filters' | 'consentCategories' | 'limits'>

/** Only what differs is written: an unchanged destination keeps its row (and its secrets keep their seal). */
function changedFields(current: DestinationRow, wanted: Wanted): Partial<Wanted> {
  const changes: Partial<Wanted> = {}
  for (const key of Object.keys(wanted) as (keyof Wanted)[]) {
    const a = key === 'sourceIds' ? [...current.sourceIds].sort((x, y) => x - y) : current[key]
    const b = key === 'sourceIds' ? [...wanted.sourceIds].sort((x, y) => x - y) : wanted[key]
    if (stableJson(a) !== stableJson(b)) (changes as Record<string, unknown>)[key] = wanted[key]
  }
  return changes
}

/** JSON with object keys sorted: the same value reads the same whatever order its keys were written in. */
export function stableJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    typeof v === 'object' && v !== null && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v
  )
}

export function describeSummary(file: string, summary: ApplySummary): string {
  const part = (what: string, counts: Record<string, string[]>): string => {
    const total = Object.values(counts).reduce((n, list) => n + list.length, 0)
    const detail = Object.entries(counts).filter(([, list]) => list.length > 0 && list !== counts.unchanged).map(([verb, list]) => `${list.length} ${verb}`)
    return `${total} ${what}${detail.length ? ` (${detail.join(', ')})` : ''}`
  }
  const plans = summary.trackingPlans.created.length + summary.trackingPlans.updated.length + summary.trackingPlans.unchanged.length
  return `Config file ${file}: ${part('sources', summary.sources)}, ${part('destinations', summary.destinations)}${plans > 0 ? `, ${part('tracking plans', summary.trackingPlans)}` : ''}.`
}
