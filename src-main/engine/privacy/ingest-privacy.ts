// PII detection at ingest (main thread, before the write): every event is scanned by the detector; what it
// finds travels with the row into the writer's transaction (the events table's `pii` column: pointer, matcher
// and a masked sample, never the value). A source set to block red data holds such events in quarantine.
//
// Threat model: messages are attacker-controlled. The detector bounds its work and output (findings per
// message, depth, string length for value tests); samples are masked before they leave this module.

import type { EventRow } from '../store/event-row'
import type { StoredProtocols } from '../protocols/protocols-column'
import type { PrivacyPolicy } from './policy'
import { fieldPath } from './paths'

export const RED_HOLD_REASON = 'carries red personal data (privacy: block events with red data)'

export function detectAtIngest(policy: PrivacyPolicy, sourceId: number, rows: EventRow[], messages: Record<string, unknown>[]): void {
  const blockRed = policy.source(sourceId).blockRed
  // Detection off skips the scan — except for a source that blocks red data, whose promise needs it.
  if (policy.settings.detection === false && !blockRed) return
  for (let i = 0; i < rows.length; i++) {
    const found = policy.detector.detect(messages[i]!)
    const row = rows[i]!
    if (found.length === 0) {
      row.pii = '' // scanned, nothing found (NULL means never scanned: delivery then scans it itself)
      continue
    }
    row.pii = JSON.stringify(found.map((f) => [f.pointer, f.matcher, f.sample]))
    // The inventory's keys, made here (paths are remembered) so the store thread need not parse the findings.
    const keys = new Set<string>()
    for (const f of found) keys.add(`${fieldPath(f.pointer)}\u0001${f.matcher}`)
    row.piiKeys = [...keys].join('\u0002')
    if (blockRed && found.some((f) => policy.classify(f.matcher, fieldPath(f.pointer)) === 'red')) hold(row, RED_HOLD_REASON)
  }
}

/** Quarantines a row (the same quarantine as tracking-plan enforcement), keeping any decision already made. */
function hold(row: EventRow, reason: string): void {
  if (row.validation) {
    const protocols = row.validation.protocols ? (JSON.parse(row.validation.protocols) as StoredProtocols) : { loupe: { planId: null, planVersion: null } }
    protocols.loupe.blocked ??= reason
    row.validation = { ...row.validation, held: true, protocols: JSON.stringify(protocols) }
    return
  }
  const protocols: Pick<StoredProtocols, 'loupe'> = { loupe: { planId: null, planVersion: null, blocked: reason } }
  row.validation = { planId: 0, planVersion: 0, violations: [], held: true, protocols: JSON.stringify(protocols) }
}
