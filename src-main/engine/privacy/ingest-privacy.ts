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
    const found = policy.detector.detect(messages[i]!, false)
    const row = rows[i]!
    if (found.length === 0) {
      row.pii = '' // scanned, nothing found (NULL means never scanned: delivery then scans it itself)
      continue
    }
    // [pointer, matcher] only: the masked sample is made from the stored payload when the event is shown. The
    // inventory's keys are made here too (the store thread need not parse the findings). Both are built from
    // remembered pieces: the same fields turn up event after event (`/context/ip`, `/traits/email`).
    let pii = '['
    let keys = ''
    for (let j = 0; j < found.length; j++) {
      const piece = piecesOf(found[j]!.pointer, found[j]!.matcher)
      pii += j === 0 ? piece.json : `,${piece.json}`
      if (keys === '') keys = piece.key
      else if (!`\u0002${keys}\u0002`.includes(`\u0002${piece.key}\u0002`)) keys += `\u0002${piece.key}`
    }
    row.pii = `${pii}]`
    row.piiKeys = keys
    if (blockRed && found.some((f) => policy.classify(f.matcher, fieldPath(f.pointer)) === 'red')) hold(row, RED_HOLD_REASON)
  }
}

const pieces = new Map<string, { json: string; key: string }>()

function piecesOf(pointer: string, matcher: string): { json: string; key: string } {
  const id = `${matcher}\u0000${pointer}`
  let piece = pieces.get(id)
  if (!piece) {
    piece = { json: JSON.stringify([pointer, matcher]), key: `${fieldPath(pointer)}\u0001${matcher}` }
    if (pieces.size >= 10_000) pieces.clear()
    pieces.set(id, piece)
  }
  return piece
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
