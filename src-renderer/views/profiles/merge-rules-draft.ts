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
