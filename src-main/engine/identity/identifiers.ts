// Which identifiers an event carries, under the merge rules: userId, anonymousId, alias's previousId and the
// configured external ids, without blocked values, highest priority first.

import { ANONYMOUS_ID, USER_ID, type IdentitySettings } from '../../../src-shared/identity'

export interface Identifier {
  kind: string
  value: string
}

/** alias's previousId: an existing user_id or anonymous_id with that value, else a new anonymous_id. */
export const PREVIOUS_ID = '?previous'

/** Longer values are not identifiers (a payload, not an id). */
const MAX_VALUE = 512

export interface EventIds {
  type: string
  user_id: string | null
  anonymous_id: string | null
  payload: string
}

export class IdentifierRules {
  private readonly blocked: Set<string>
  private readonly ranks = new Map<string, number>()
  /** For each rule, the quoted last key that must appear in the payload text before it is worth parsing. */
  private readonly rules: { kind: string; paths: string[][]; needle: string[] }[]

  constructor(readonly settings: IdentitySettings) {
    this.blocked = new Set(settings.blockedValues.map((v) => v.trim().toLowerCase()))
    settings.priority.forEach((kind, i) => this.ranks.set(kind, i))
    this.rules = settings.externalIds.map((rule) => {
      const paths = rule.paths.map((p) => p.split('.'))
      return { kind: rule.kind, paths, needle: paths.map((p) => `"${p[p.length - 1]}"`) }
    })
  }

  /** Lower is higher priority: listed kinds in order, then user_id if not listed, then the rest alphabetically. */
  compare(a: string, b: string): number {
    const rank = (kind: string): number => this.ranks.get(kind) ?? (kind === USER_ID ? 1000 : 1001)
    const ra = rank(a)
    const rb = rank(b)
    return ra !== rb ? ra - rb : a < b ? -1 : a > b ? 1 : 0
  }

  /** user_id keeps Segment's limit of 1 unless set: a limits object that leaves it out must not merge users. */
  limit(kind: string): number {
    return this.settings.limits[kind] ?? (kind === USER_ID ? 1 : this.settings.defaultLimit)
  }

  isBlocked(value: string): boolean {
    if (this.settings.blockZeroIds && /^[0-]*$/.test(value)) return true
    return this.blocked.has(value.toLowerCase())
  }

  /** Whether the payload must be parsed to find this event's identifiers. */
  needsPayload(event: EventIds): boolean {
    if (event.type === 'alias') return true
    return this.rules.some((rule) => rule.needle.some((n) => event.payload.includes(n)))
  }

  /**
   * The event's identifiers in priority order, and the blocked ones (so they can be recorded).
   * `message` is the parsed payload when needsPayload said so.
   */
  extract(event: EventIds, message: Record<string, unknown> | null): { ids: Identifier[]; blocked: Identifier[] } {
    const ids: Identifier[] = []
    const blocked: Identifier[] = []
    const add = (kind: string, raw: unknown): void => {
      if (typeof raw !== 'string' && typeof raw !== 'number') return
      const value = String(raw).trim()
      if (value.length > MAX_VALUE) return
      if (this.isBlocked(value)) blocked.push({ kind, value })
      else if (!ids.some((id) => id.kind === kind && id.value === value)) ids.push({ kind, value })
    }
    if (event.user_id !== null) add(USER_ID, event.user_id)
    if (event.anonymous_id !== null) add(ANONYMOUS_ID, event.anonymous_id)
    if (message) {
      // A previousId equal to the event's own ids links nothing (and must not be created twice).
      const previous = message.previousId
      if (event.type === 'alias' && (typeof previous === 'string' || typeof previous === 'number') && String(previous).trim() !== event.user_id && String(previous).trim() !== event.anonymous_id) {
        add(PREVIOUS_ID, previous)
      }
      for (const rule of this.rules) {
        for (const path of rule.paths) {
          // A number where an e-mail belongs (`"email": 12345`) identifies no one; other ids may be numbers.
          const value = at(message, path)
          if (typeof value === 'string' && value.trim() !== '') {
            add(rule.kind, rule.kind === 'email' ? value.toLowerCase() : value)
            break
          }
          if (typeof value === 'number' && Number.isFinite(value) && rule.kind !== 'email') {
            add(rule.kind, value)
            break
          }
        }
      }
    }
    // previousId ranks like the kind it will turn out to be; until then, with the anonymous ids.
    ids.sort((a, b) => this.compare(a.kind === PREVIOUS_ID ? ANONYMOUS_ID : a.kind, b.kind === PREVIOUS_ID ? ANONYMOUS_ID : b.kind))
    return { ids, blocked }
  }
}

export function at(value: unknown, path: readonly string[]): unknown {
  let current = value
  for (const key of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined
    current = (current as Record<string, unknown>)[key]
  }
  return current
}
