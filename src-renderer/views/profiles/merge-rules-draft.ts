// The merge-rules form's draft (lists as text, limits as rows) and the settings it saves.

import type { IdentitySettings } from '../../../src-shared/identity'

export interface MergeRulesDraft {
  enabled: boolean
  externalIds: { kind: string; paths: string }[]
  blockedValues: string
  blockZeroIds: boolean
  limits: { kind: string; limit: string }[]
  defaultLimit: string
  priority: string[]
}

const lines = (text: string): string[] =>
  text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')

/** Numbers as typed when they are not numbers, so the engine's refusal names the field. */
const count = (text: string): number => (text.trim() !== '' && Number.isFinite(Number(text)) ? Number(text) : (text as unknown as number))

export function mergeRulesDraftOf(s: IdentitySettings): MergeRulesDraft {
  return {
    enabled: s.enabled,
    externalIds: s.externalIds.map((e) => ({ kind: e.kind, paths: e.paths.join(', ') })),
    blockedValues: s.blockedValues.join('\n'),
    blockZeroIds: s.blockZeroIds,
    limits: Object.entries(s.limits).map(([kind, limit]) => ({ kind, limit: String(limit) })),
    defaultLimit: String(s.defaultLimit),
    priority: [...s.priority]
  }
}

export function mergeRulesOf(d: MergeRulesDraft): IdentitySettings {
  return {
    enabled: d.enabled,
    externalIds: d.externalIds.map((e) => ({
      kind: e.kind.trim(),
      paths: e.paths
        .split(',')
        .map((p) => p.trim())
        .filter((p) => p !== '')
    })),
    blockedValues: lines(d.blockedValues),
    blockZeroIds: d.blockZeroIds,
    limits: Object.fromEntries(d.limits.filter((l) => l.kind.trim() !== '').map((l) => [l.kind.trim(), count(l.limit)])),
    defaultLimit: count(d.defaultLimit),
    priority: d.priority
  }
}

/** Moves one kind up (-1) or down (+1) the priority list. */
export function moved(list: readonly string[], index: number, by: -1 | 1): string[] {
  const to = index + by
  if (to < 0 || to >= list.length) return [...list]
  const next = [...list]
  ;[next[index], next[to]] = [next[to]!, next[index]!]
  return next
}

const KIND = /^[a-z][a-z0-9_]{0,39}$/
const KIND_HINT = 'lower-case letters, digits and _, starting with a letter'

/** Why a limit as typed is not one (the engine's rule: a whole number from 1 to 1000), or null. */
function badCount(text: string): string | null {
  const t = text.trim()
  return /^\d+$/.test(t) && Number(t) >= 1 && Number(t) <= 1000 ? null : `must be a whole number from 1 to 1000 (not "${t}")`
}

/**
 * The first problem the engine would refuse in a draft, found before sending so it shows at once at its
 * field. Fields are the form's: `limits[1].kind`, `limits[1].limit`, `externalIds[0].kind`, `defaultLimit`.
 */
export function mergeRulesProblem(d: MergeRulesDraft): { field: string; message: string } | null {
  for (const [i, rule] of d.externalIds.entries()) {
    const kind = rule.kind.trim()
    if (kind === '' && rule.paths.trim() === '') continue
    if (!KIND.test(kind)) return { field: `externalIds[${i}].kind`, message: kind === '' ? 'name the kind of identifier (e.g. "phone")' : `"${kind}" is not an identifier kind: ${KIND_HINT}` }
  }
  const seen = new Set<string>()
  for (const [i, row] of d.limits.entries()) {
    const kind = row.kind.trim()
    if (kind === '') continue
    if (!KIND.test(kind)) return { field: `limits[${i}].kind`, message: `"${kind}" is not an identifier kind: ${KIND_HINT}` }
    if (seen.has(kind)) return { field: `limits[${i}].kind`, message: `"${kind}" already has a limit above` }
    seen.add(kind)
    const bad = badCount(row.limit)
    if (bad) return { field: `limits[${i}].limit`, message: `the limit ${bad}` }
  }
  const bad = badCount(d.defaultLimit)
  return bad ? { field: 'defaultLimit', message: `the limit ${bad}` } : null
}
