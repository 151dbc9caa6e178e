// The fault rules of one engine, in memory on purpose: sabotage that survived a restart would surprise
// whoever forgot to switch it off. Picking a rule counts the injection at once (synchronously), so
// concurrent requests can never exceed a rule's `count`.

import { FAULT_LIMITS, type FaultRule, type FaultsState, type InjectedFault } from '../../../src-shared/faults'
import type { FaultSettings } from './validate'

const RING_SIZE = 100

export class TooManyRulesError extends Error {}

export class FaultInjector {
  private readonly rules = new Map<number, FaultRule>()
  private readonly ring: InjectedFault[] = []
  private nextId = 1

  constructor(private readonly random: () => number = Math.random) {}

  state(sourceId?: number): FaultsState {
    const keep = (r: { sourceId: number }): boolean => sourceId === undefined || r.sourceId === sourceId
    return { rules: [...this.rules.values()].filter(keep).map((r) => ({ ...r })), recent: this.ring.filter(keep).reverse() }
  }

  get(id: number): FaultRule | null {
    const rule = this.rules.get(id)
    return rule ? { ...rule } : null
  }

  create(settings: FaultSettings): FaultRule {
    const perSource = [...this.rules.values()].filter((r) => r.sourceId === settings.sourceId).length
    if (perSource >= FAULT_LIMITS.maxRulesPerSource) throw new TooManyRulesError(`A source has at most ${FAULT_LIMITS.maxRulesPerSource} fault rules.`)
    const rule: FaultRule = { id: this.nextId++, ...settings, injected: 0, createdAt: new Date().toISOString() }
    this.rules.set(rule.id, rule)
    return { ...rule }
  }

  update(id: number, settings: FaultSettings, resetInjected: boolean): FaultRule | null {
    const rule = this.rules.get(id)
    if (!rule) return null
    Object.assign(rule, settings, resetInjected ? { injected: 0 } : {})
    return { ...rule }
  }

  remove(id: number): FaultRule | null {
    const rule = this.rules.get(id)
    if (!rule) return null
    this.rules.delete(id)
    return rule
  }

  /** Rules of a deleted source go with it (a new source never inherits them through a reused id). */
  forgetSource(sourceId: number): void {
    for (const rule of this.rules.values()) if (rule.sourceId === sourceId) this.rules.delete(rule.id)
  }

  /**
   * The rule that fires for this request, if any — the first matching rule (oldest first) whose dice roll
   * succeeds. The injection is counted and recorded before this returns.
   */
  /** Whether any rule exists: the tracking path asks this first and skips fault injection entirely when none. */
  get armed(): boolean {
    return this.rules.size > 0
  }

  pick(sourceId: number, path: string, messageIds: () => string[]): FaultRule | null {
    for (const rule of this.rules.values()) {
      if (rule.sourceId !== sourceId || !rule.enabled) continue
      if (rule.path !== null && rule.path !== path) continue
      if (rule.count !== null && rule.injected >= rule.count) continue
      // probability 0 never fires, 1 always does (random() is in [0, 1)).
      if (!(this.random() < rule.probability)) continue
      rule.injected++
      this.ring.push({ at: new Date().toISOString(), ruleId: rule.id, sourceId, kind: rule.kind, path, messageIds: messageIds() })
      if (this.ring.length > RING_SIZE) this.ring.shift()
      return { ...rule }
    }
    return null
  }
}

// One injector per engine, found from its context without widening EngineContext.
const injectors = new WeakMap<object, FaultInjector>()

export function faultsOf(engineContext: object): FaultInjector {
  let injector = injectors.get(engineContext)
  if (!injector) injectors.set(engineContext, (injector = new FaultInjector()))
  return injector
}
