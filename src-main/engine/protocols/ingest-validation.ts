// Validation at ingest (main thread, before the write): each event of a source connected to a plan is
// checked with the plan's compiled validators, and enforcement decides what delivery will do with it.
// The violations and the decision travel with the row into the writer's transaction, so an event is
// never stored without them. Bindings (source → plan version + settings) are cached and dropped when a
// plan or a source's settings change; a stored plan that no longer compiles is logged and skipped, never
// a reason to refuse events.
//
// Threat model: messages are attacker-controlled. The validator bounds its output (MAX_VIOLATIONS, values cut
// to 200 characters); forwarded `Violation Generated` events are capped per request and never validated
// themselves (no loops through a forwarding source that also has a plan).

import type { Database, Statement } from 'better-sqlite3'
import { DEFAULT_ENFORCEMENT, type SourceEnforcement } from '../../../src-shared/enforcement'
import type { EventRow } from '../store/event-row'
import type { PlanReads } from '../store/plans'
import { decide } from './enforce'
import { violationEvents } from './violation-events'
import { capViolations, type CompiledPlan, type PlanValidators } from './validator'

interface Binding {
  sourceId: number
  sourceName: string
  plan: { id: number; version: number; name: string; compiled: CompiledPlan } | null
  settings: SourceEnforcement
  /** The source `Violation Generated` events go to, if it still exists. */
  forwardTo: number | null
}

/** Forwarded violation events per request at most: a hostile batch cannot multiply itself beyond this. */
export const MAX_FORWARDED_PER_REQUEST = 1000

export class IngestValidation {
  private readonly bindings = new Map<number, Binding | null>()
  private readonly sourceRow: Statement<unknown[], { name: string; enforcement: string | null }>
  private readonly planName: Statement<unknown[], string>

  constructor(db: Database, private readonly plans: PlanReads, private readonly validators: PlanValidators, private readonly log: (line: string) => void) {
    this.sourceRow = db.prepare('SELECT name, enforcement FROM sources WHERE id = ?')
    this.planName = db.prepare('SELECT name FROM tracking_plans WHERE id = ?').pluck() as Statement<unknown[], string>
  }

  /** A plan, a connection or a source's settings changed: bindings are read again on next use. */
  invalidate(): void {
    this.bindings.clear()
  }

  enforcement(sourceId: number): SourceEnforcement | null {
    const row = this.sourceRow.get(sourceId)
    return row ? parseEnforcement(row.enforcement) : null
  }

  /**
   * Validates the rows of one request (all of one source) in place, and returns the `Violation Generated`
   * rows to commit with them (in the same write, so they are as durable as the events they describe).
   * Imports pass forward = false: history being loaded is not news to forward.
   */
  check(sourceId: number, rows: EventRow[], messages: Record<string, unknown>[], forward = true): EventRow[] {
    const binding = this.binding(sourceId)
    if (binding === null) return []
    const forwarded: EventRow[] = []
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      const message = messages[i]!
      // The route's call type wins (as with Segment), and /v1/track bodies need not say it.
      message.type = row.type
      const all = binding.plan ? binding.plan.compiled.validate(message) : []
      const violations = capViolations(all)
      const decision = decide({ sourceId, type: row.type, name: row.name, violations: all, kept: violations, plan: binding.plan, message }, binding.settings)
      if (decision.protocols === null) continue
      row.validation = {
        planId: binding.plan?.id ?? 0,
        planVersion: binding.plan?.version ?? 0,
        violations,
        held: decision.held,
        protocols: JSON.stringify(decision.protocols)
      }
      if (forward && binding.forwardTo !== null && violations.length > 0 && forwarded.length < MAX_FORWARDED_PER_REQUEST) {
        forwarded.push(...violationEvents(row, violations, { ...binding, targetSourceId: binding.forwardTo }).slice(0, MAX_FORWARDED_PER_REQUEST - forwarded.length))
      }
    }
    return forwarded
  }

  private binding(sourceId: number): Binding | null {
    let binding = this.bindings.get(sourceId)
    if (binding === undefined) {
      binding = this.readBinding(sourceId)
      this.bindings.set(sourceId, binding)
    }
    return binding
  }

  private readBinding(sourceId: number): Binding | null {
    const source = this.sourceRow.get(sourceId)
    if (!source) return null
    const settings = parseEnforcement(source.enforcement)
    const connected = this.plans.forSource(sourceId)
    let plan: Binding['plan'] = null
    if (connected) {
      try {
        const compiled = this.validators.get(connected.planId, connected.version, () => this.plans.version(connected.planId, connected.version)?.rules ?? [])
        plan = { id: connected.planId, version: connected.version, name: this.planName.get(connected.planId) ?? '', compiled }
      } catch (error) {
        this.log(`tracking plan ${connected.planId} v${connected.version} does not compile; events of source ${sourceId} are not validated: ${(error as Error).message}`)
      }
    }
    if (plan === null && settings.blockedEvents.length === 0) return null
    const forwardTo = settings.forwardViolationsTo !== null && settings.forwardViolationsTo !== sourceId && this.sourceRow.get(settings.forwardViolationsTo) ? settings.forwardViolationsTo : null
    return { sourceId, sourceName: source.name, plan, settings, forwardTo }
  }
}

export function parseEnforcement(text: string | null): SourceEnforcement {
  if (text === null) return { ...DEFAULT_ENFORCEMENT, blockedEvents: [] }
  return { ...DEFAULT_ENFORCEMENT, ...(JSON.parse(text) as Partial<SourceEnforcement>) }
}
