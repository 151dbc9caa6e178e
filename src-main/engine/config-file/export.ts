// `loupe export-config` and GET /api/config/export: the current sources, destinations and tracking plans as a config file
// that `--config` applies to another data dir. Secrets are written as `${LOUPE_SECRET_…}` references, never
// in clear; source ids become source names.

import type { SourceEnforcement } from '../../../src-shared/enforcement'
import { isDefaultEnforcement } from '../protocols/enforcement-settings'
import { Document } from 'yaml'
import type { DestinationFilter } from '../../../src-shared/api'
import type { TrackingPlan } from '../../../src-shared/plans'
import type { DestinationRow } from '../store/destinations'
import { escapeReferences } from './env'
import { CONFIG_VERSION } from './schema'
import { withSecretPlaceholders } from './secret-placeholders'
import type { ConfigFormat } from './load'

export interface ExportedConfig {
  text: string
  /** Environment variables the file refers to: set them before loading it. */
  variables: string[]
}

interface SourceLike {
  id: number
  name: string
  writeKey: string
  /** Exported when it differs from the defaults. */
  enforcement?: SourceEnforcement | null
}

/** `plans`: each plan's current version and connected sources (none when the caller passes none). */
export function exportConfig(sources: SourceLike[], destinations: DestinationRow[], format: ConfigFormat, plans: Pick<TrackingPlan, 'name' | 'description' | 'rules' | 'sourceIds'>[] = []): ExportedConfig {
  const nameOf = new Map(sources.map((s) => [s.id, s.name]))
  const names = (ids: number[]): string[] => ids.flatMap((id) => (nameOf.has(id) ? [nameOf.get(id)!] : []))
  const taken = new Set<string>()
  const variables: string[] = []
  const exportedDestinations = destinations.map((d) => {
    const { settings, variables: used } = withSecretPlaceholders(d.name, d.kind, escapeAll(d.settings), taken)
    variables.push(...used)
    const rest = escapeAll({
      filters: d.filters.map((f) => portableFilter(f, names)),
      consentCategories: d.consentCategories,
      limits: d.limits
    })
    return { ...escapeAll({ name: d.name, kind: d.kind, enabled: d.enabled, sourceNames: names(d.sourceIds) }), settings, ...rest }
  })
  const notice = variables.length
    ? `Secrets are not in this file. Set these environment variables before loading it with "loupe serve --config": ${variables.join(', ')}.`
    : 'This file holds no secrets.'
  const body = {
    version: CONFIG_VERSION,
    sources: escapeAll(sources.map((s) => ({ name: s.name, writeKey: s.writeKey, ...portableEnforcement(s.enforcement, nameOf) }))),
    destinations: exportedDestinations,
    // Absent rather than empty, so a data dir without plans exports the same file as before plans existed.
    ...(plans.length > 0 ? { trackingPlans: plans.map((p) => escapeAll(exportedPlan(p, names))) } : {})
  }
  if (format === 'json') return { text: `${JSON.stringify({ $comment: notice, ...body }, null, 2)}\n`, variables }
  const doc = new Document(body)
  doc.commentBefore = [` Loupe config (loupe serve --config <this file>); exported ${new Date().toISOString()}.`, ...wrap(notice).map((line) => ` ${line}`)].join('\n')
  return { text: doc.toString({ lineWidth: 0 }), variables }
}

function exportedPlan(plan: Pick<TrackingPlan, 'name' | 'description' | 'rules' | 'sourceIds'>, names: (ids: number[]) => string[]): Record<string, unknown> {
  const sourceNames = names(plan.sourceIds)
  return { name: plan.name, ...(plan.description ? { description: plan.description } : {}), ...(sourceNames.length > 0 ? { sourceNames } : {}), rules: plan.rules }
}

function portableFilter(filter: DestinationFilter, names: (ids: number[]) => string[]): Record<string, unknown> {
  const { sourceIds, ...rest } = filter
  return sourceIds && sourceIds.length > 0 ? { ...rest, sourceNames: names(sourceIds) } : rest
}

/** A literal `${` in a stored value is escaped (before secrets become references), so loading the file gives back the same value. */
function escapeAll<T>(value: T): T {
  if (typeof value === 'string') return escapeReferences(value) as T
  if (Array.isArray(value)) return value.map(escapeAll) as T
  if (typeof value === 'object' && value !== null) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeAll(v)])) as T
  return value
}

function wrap(text: string, width = 100): string[] {
  const lines: string[] = []
  let line = ''
  for (const word of text.split(' ')) {
    if (line && line.length + word.length + 1 > width) {
      lines.push(line)
      line = word
    } else line = line ? `${line} ${word}` : word
  }
  if (line) lines.push(line)
  return lines
}

/** A source's enforcement with the forwarding source named (ids differ between data dirs); nothing when it is the default. */
function portableEnforcement(e: SourceEnforcement | null | undefined, nameOf: Map<number, string>): { enforcement?: Record<string, unknown> } {
  if (!e || isDefaultEnforcement(e)) return {}
  const target = e.forwardViolationsTo === null ? null : (nameOf.get(e.forwardViolationsTo) ?? null)
  return { enforcement: { ...e, forwardViolationsTo: target } }
}
