// What a destination receives of a stored event: the `integrations` object (live delivery only), consent,
// and the destination's filters, in that order — the same rules for live delivery, replay, the filter
// preview and "send test event", so what the preview says is what delivery does.

import type { DestinationFilter } from '../../../src-shared/api'
import type { SegmentEvent } from '../destinations/driver'
import type { OutgoingRow } from '../store/destinations'
import { consentBlocks } from './consent'
import { compileFilters, type CompiledFilters } from './filters'
import { integrationsAllow, toOutgoingEvent } from './outgoing-event'
import { rowLine } from './outgoing-line'
import type { DestinationPrivacy } from '../../../src-shared/privacy'
import type { PrivacyPolicy } from '../privacy/policy'
import { applyPrivacy, controlsPassAll } from '../privacy/controls'
import { piiComplete } from '../privacy/pii-column'

export type Prepared = { event: SegmentEvent; filtered: null } | { event: null; filtered: string }

export interface RulesInput {
  filters: DestinationFilter[]
  consentCategories: string[]
  /** The destination's privacy controls, and the policy that classifies findings (absent: everything passes). */
  privacy?: DestinationPrivacy
  policy?: PrivacyPolicy
}

export class DeliveryRules {
  private readonly filters: CompiledFilters

  private readonly privacy: { actions: DestinationPrivacy; policy: PrivacyPolicy } | null

  /** No filter, consent category or privacy control looks inside events: only `integrations` can stop one. */
  private readonly passThrough: boolean

  constructor(private readonly input: RulesInput, private readonly integrationNames: readonly string[]) {
    this.filters = compileFilters(input.filters)
    this.privacy = input.privacy && input.policy && !controlsPassAll(input.privacy) ? { actions: input.privacy, policy: input.policy } : null
    this.passThrough = input.filters.every((filter) => filter.enabled === false) && input.consentCategories.length === 0 && this.privacy === null
  }

  /**
   * The event as the JSON line a line-writing driver (the archive) sends, made from the stored text without
   * parsing it, when these rules have nothing to do with it; null means prepare() decides (a rule applies,
   * the event is quarantined or shaped by the tracking plan, its text is unusual, or `integrations` may
   * turn the destination off). The line and JSON.stringify(prepare(row).event) say the same.
   */
  line(row: OutgoingRow, mode: 'live' | 'replay' = 'live'): string | null {
    return this.passThrough ? rowLine(row, mode === 'live' ? this.integrationNames : null) : null
  }

  /** line() may answer for every row: only the row itself decides (the line reader's thread can build them). */
  get linesOnly(): boolean {
    return this.passThrough
  }

  get names(): readonly string[] {
    return this.integrationNames
  }

  /**
   * A replay ignores the event's `integrations` object, as Segment's replay replaces it with
   * `{All: false, <destination>: true}`; consent and filters still apply.
   */
  prepare(row: OutgoingRow, mode: 'live' | 'replay' = 'live'): Prepared {
    // Quarantined by the tracking plan: never sent while held; once released, only its release job sends it.
    const quarantine = row.quarantine ?? 0
    if (quarantine < 0) return { event: null, filtered: 'held in quarantine by the tracking plan (release it to deliver)' }
    if (quarantine > 0 && mode === 'live') return { event: null, filtered: 'released from quarantine: sent by its release job' }
    return this.prepareEvent(toOutgoingEvent(row), row.source_id, mode, row.pii)
  }

  /**
   * `pii`: the event's findings from ingest ('' = scanned, none found; see pii-column.ts); null or absent =
   * never scanned (stored before detection existed or while it was off, a test event, or an ingest scan cut
   * short with nothing found), and a column marked incomplete — then it is scanned whole now, so a destination's
   * controls never depend on how the event was stored.
   */
  prepareEvent(event: SegmentEvent, sourceId: number, mode: 'live' | 'replay' = 'live', pii?: string | null): Prepared {
    const prepared = this.filtered(event, sourceId, mode)
    // Privacy controls last: whatever the filters kept, personal data leaves only in the form allowed.
    if (prepared.event && this.privacy) {
      const { actions, policy } = this.privacy
      let findings = pii
      if (findings === null || findings === undefined || !piiComplete(findings)) {
        // Never scanned, or scanned only up to the detector's bounds: scanned whole now.
        const whole = policy.detector.check(prepared.event, 'whole')
        // Past even those bounds, fields would leave unread: the event is withheld from this destination.
        if (!whole.complete) return { event: null, filtered: 'too large for its privacy controls to check every field' }
        findings = JSON.stringify(whole.found.map((f) => [f.pointer, f.matcher]))
      }
      if (findings) applyPrivacy(prepared.event, findings, actions, policy)
    }
    return prepared
  }

  private filtered(event: SegmentEvent, sourceId: number, mode: 'live' | 'replay'): Prepared {
    if (mode === 'live' && !integrationsAllow(event, this.integrationNames)) return { event: null, filtered: 'integrations object turns this destination off' }
    const consent = consentBlocks(event, this.input.consentCategories)
    if (consent !== null) return { event: null, filtered: consent }
    const result = this.filters.apply(event, sourceId)
    return 'dropped' in result ? { event: null, filtered: result.dropped } : { event: result.event, filtered: null }
  }
}
