// The privacy policy in force (issue #6): matcher and per-field classifications, custom matchers (compiled
// into the detector), per-source settings, suppressed ids and the hashing salt. Read from the database on the
// main thread and kept in memory; every change goes through a store command, after which it is read again.

import type { Database, Statement } from 'better-sqlite3'
import type { Classification, Finding, MatcherInfo, PrivacySettings, SourcePrivacy } from '../../../src-shared/privacy'
import { fieldPath } from './paths'
import { piiPairs } from './pii-column'
import { maskSample } from './mask'
import { splitPointer } from '../protocols/protocols-column'

function valueAt(root: unknown, pointer: string): unknown {
  let node = root
  for (const part of splitPointer(pointer)) {
    if (node === null || typeof node !== 'object') return undefined
    node = (node as Record<string, unknown>)[part]
  }
  return node
}
import { compileDetector, type Detector } from './detect'
import { BUILT_IN_MATCHERS } from './matchers'
import { idHash } from './hash'

export const EMPTY_SETTINGS: PrivacySettings = { matcherClassifications: {}, fieldClassifications: {}, custom: [] }

export class PrivacyPolicy {
  settings: PrivacySettings = EMPTY_SETTINGS
  salt = ''
  detector: Detector = compileDetector({ custom: [] })
  private suppressed = new Set<string>()
  private readonly sourceSettings = new Map<number, SourcePrivacy>()
  private readonly stateRows: Statement<unknown[], { key: string; value: string }>
  private readonly suppressionRows: Statement<unknown[], { kind: string; id_hash: string }>
  private readonly sourceRow: Statement<unknown[], string | null>

  constructor(db: Database, private readonly log: (line: string) => void = () => {}) {
    this.stateRows = db.prepare('SELECT key, value FROM privacy_state')
    this.suppressionRows = db.prepare('SELECT kind, id_hash FROM suppressions')
    this.sourceRow = db.prepare('SELECT privacy FROM sources WHERE id = ?').pluck() as Statement<unknown[], string | null>
    this.reload()
  }

  /** Reads everything again (after a privacy command committed). */
  reload(): void {
    const state = new Map(this.stateRows.all().map((r) => [r.key, r.value]))
    this.salt = state.get('salt') ?? ''
    this.settings = state.has('settings') ? { ...EMPTY_SETTINGS, ...(JSON.parse(state.get('settings')!) as PrivacySettings) } : EMPTY_SETTINGS
    try {
      this.detector = compileDetector({ custom: this.settings.custom })
    } catch (error) {
      // Stored patterns were checked when saved; should one fail now, built-in detection still runs.
      this.log(`privacy: a custom matcher does not compile (${(error as Error).message}); built-in matchers only`)
      this.detector = compileDetector({ custom: [] })
    }
    this.suppressed = new Set(this.suppressionRows.all().map((r) => `${r.kind}:${r.id_hash}`))
    this.sourceSettings.clear()
  }

  /** The class of a finding now: the field's own, else the matcher's (changed or default). */
  classify(matcher: string, path: string): Classification {
    const field = this.settings.fieldClassifications[path]
    if (field) return field
    const set = this.settings.matcherClassifications[matcher]
    if (set) return set
    const custom = this.settings.custom.find((c) => c.id === matcher)
    if (custom) return custom.classification
    return BUILT_IN_MATCHERS.find((m) => m.id === matcher)?.defaultClassification ?? 'yellow'
  }

  /** An event's findings (its `pii` column) as classified now; samples are masked from the payload when given. */
  findings(pii: string | null | undefined, payload?: unknown): Finding[] {
    if (!pii) return []
    return (piiPairs(pii) as [string, string, string?][]).map(([pointer, matcher, stored]) => {
      const value = payload === undefined ? undefined : valueAt(payload, pointer)
      const sample = stored ?? (typeof value === 'string' || typeof value === 'number' ? maskSample(matcher, value) : '•••')
      return { pointer, matcher, sample, classification: this.classify(matcher, fieldPath(pointer)) }
    })
  }

  /** The highest class among an event's findings (red > yellow > green), or null. */
  highest(pii: string | null | undefined): Classification | null {
    if (!pii) return null
    let best: Classification | null = null
    for (const f of this.findings(pii)) {
      if (f.classification === 'red') return 'red'
      if (f.classification === 'yellow' || best === null) best = f.classification
    }
    return best
  }

  matchers(): MatcherInfo[] {
    const builtIn = BUILT_IN_MATCHERS.map((m): MatcherInfo => ({ id: m.id, name: m.name, matchesOn: m.matchesOn, defaultClassification: m.defaultClassification, classification: this.settings.matcherClassifications[m.id] ?? m.defaultClassification, custom: false, description: m.description }))
    const custom = this.settings.custom.map((c): MatcherInfo => ({ id: c.id, name: c.name, matchesOn: c.target, defaultClassification: c.classification, classification: this.settings.matcherClassifications[c.id] ?? c.classification, custom: true, description: `/${c.pattern}/i on field ${c.target === 'key' ? 'names' : 'values'}` }))
    return [...builtIn, ...custom]
  }

  source(sourceId: number): SourcePrivacy {
    let settings = this.sourceSettings.get(sourceId)
    if (!settings) {
      const text = this.sourceRow.get(sourceId)
      settings = { blockRed: false, ...(text ? (JSON.parse(text) as Partial<SourcePrivacy>) : {}) }
      this.sourceSettings.set(sourceId, settings)
    }
    return settings
  }

  /** True while any id is suppressed (ingest checks ids only then). */
  get suppressing(): boolean {
    return this.suppressed.size > 0
  }

  /** Whether new events of this user must be refused (ids are compared by hash: the list keeps no ids). */
  isSuppressed(userId: string | null, anonymousId: string | null): boolean {
    return this.suppressedBy(userId, anonymousId) !== null
  }

  /**
   * Which of the ids is suppressed (the field an error names), or null. An alias's previousId (a userId or an
   * anonymousId) counts too: aliasing a suppressed id would tie new identities to the user who asked to leave.
   */
  suppressedBy(userId: string | null, anonymousId: string | null, previousId: string | null = null): 'userId' | 'anonymousId' | 'previousId' | null {
    if (this.suppressed.size === 0) return null
    if (userId !== null && this.suppressed.has(`userId:${idHash(this.salt, userId)}`)) return 'userId'
    if (anonymousId !== null && this.suppressed.has(`anonymousId:${idHash(this.salt, anonymousId)}`)) return 'anonymousId'
    if (previousId !== null) {
      const hash = idHash(this.salt, previousId)
      if (this.suppressed.has(`userId:${hash}`) || this.suppressed.has(`anonymousId:${hash}`)) return 'previousId'
    }
    return null
  }
}

/** An alias's previousId as ids are compared (clients send numbers too), else null. `type`: the stored row's (a route sets it). */
export function aliasPreviousId(type: string, message: Record<string, unknown>): string | null {
  if (type !== 'alias') return null
  const id = message.previousId
  return typeof id === 'string' || typeof id === 'number' ? String(id) : null
}
