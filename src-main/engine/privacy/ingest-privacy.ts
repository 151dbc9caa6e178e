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
import { INCOMPLETE } from './pii-column'

export const RED_HOLD_REASON = 'carries red personal data (privacy: block events with red data)'
export const UNCHECKED_HOLD_REASON = 'too large for privacy detection to rule out red personal data (privacy: block events with red data)'

export function detectAtIngest(policy: PrivacyPolicy, sourceId: number, rows: EventRow[], messages: Record<string, unknown>[]): void {
  const blockRed = policy.source(sourceId).blockRed
  // Detection off skips the scan — except for a source that blocks red data, whose promise needs it.
  if (policy.settings.detection === false && !blockRed) return
  for (let i = 0; i < rows.length; i++) {
    const { found, complete } = policy.detector.check(messages[i]!, 'ingest')
    const row = rows[i]!
    if (found.length === 0) {
      // '': scanned, nothing found. Cut short with nothing found: NULL, as never scanned — delivery scans it whole.
      row.pii = complete ? '' : undefined
      if (!complete && blockRed) hold(row, UNCHECKED_HOLD_REASON)
      continue
    }
    // [pointer, matcher] only: the masked sample is made from the stored payload when the event is shown. The
    // inventory's keys are made here too (the store thread need not parse the findings). Both are built from
    // remembered pieces: the same fields turn up event after event (`/context/ip`, `/traits/email`).
    let pii = '['
    const keys: string[] = []
    for (let j = 0; j < found.length; j++) {
      const piece = piecesOf(found[j]!.pointer, found[j]!.matcher)
      pii += j === 0 ? piece.json : `,${piece.json}`
      // Array items fold into one field (`/products/0/email`, `/products/1/email`): counted once per event.
      if (!keys.includes(piece.key)) keys.push(piece.key)
    }
    // Cut short at a bound: marked, so delivery scans the whole event (pii-column.ts).
    if (!complete) pii += `,${INCOMPLETE}`
    row.pii = `${pii}]`
    if (keys.length > 0) row.piiKeys = keys.length === 1 ? keys[0]! : keys.join('\u0002')
    if (blockRed) {
      if (found.some((f) => policy.classify(f.matcher, fieldPath(f.pointer)) === 'red')) hold(row, RED_HOLD_REASON)
      // What was not looked at may be red: a source that blocks red data holds what it cannot clear.
      else if (!complete) hold(row, UNCHECKED_HOLD_REASON)
    }
  }
}

/** By pointer, then matcher. The detector hands out the same pointer strings for the same fields, so these lookups hash nothing new. */
const pieces = new Map<string, Map<string, { json: string; key: string }>>()
let pieceCount = 0

function piecesOf(pointer: string, matcher: string): { json: string; key: string } {
  let byMatcher = pieces.get(pointer)
  let piece = byMatcher?.get(matcher)
  if (!piece) {
    piece = { json: JSON.stringify([pointer, matcher]), key: `${fieldPath(pointer)}\u0001${matcher}` }
    if (pieceCount >= 10_000) {
      pieces.clear()
      pieceCount = 0
      byMatcher = undefined
    }
    if (!byMatcher) pieces.set(pointer, (byMatcher = new Map()))
    byMatcher.set(matcher, piece)
    pieceCount++
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
