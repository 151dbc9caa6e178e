// Per-destination privacy controls, applied to the copy a destination receives (live, replay, release): for
// each piece of personal data found at ingest, its class decides whether it passes, is masked, hashed (plain
// or salted) or dropped. The stored event is never touched. Classes are resolved now, so a reclassification
// applies to every delivery from then on.

import type { DestinationPrivacy, PrivacyAction } from '../../../src-shared/privacy'
import type { SegmentEvent } from '../destinations/driver'
import { splitPointer } from '../protocols/protocols-column'
import { plainHash, saltedHash } from './hash'
import { fieldPath } from './paths'
import { piiPairs } from './pii-column'
import { DETECTION_LIMITS } from './detect'
import { replaceEmbeddedEmails, setEmailCandidateBudget } from './shapes'
import type { PrivacyPolicy } from './policy'

export const MASKED = '***'

export function controlsPassAll(actions: DestinationPrivacy): boolean {
  return actions.red === 'pass' && actions.yellow === 'pass' && actions.green === 'pass'
}

export function applyPrivacy(event: SegmentEvent, pii: string, actions: DestinationPrivacy, policy: PrivacyPolicy): void {
  // Reading addresses inside text is bounded per event, as detection is: past the budget, values are replaced whole.
  setEmailCandidateBudget(DETECTION_LIMITS.emailCandidatesPerMessage)
  try {
    for (const [pointer, matcher] of piiPairs(pii)) {
      const action = actions[policy.classify(matcher, fieldPath(pointer))]
      if (action !== 'pass') applyAt(event as Record<string, unknown>, splitPointer(pointer), (value) => transform(action, matcher, value, policy.salt))
    }
  } finally {
    setEmailCandidateBudget(Infinity)
  }
}

const DROP = Symbol('drop')

function transform(action: Exclude<PrivacyAction, 'pass'>, matcher: string, value: unknown, salt: string): unknown {
  if (action === 'drop') return DROP
  // An address inside a URL or a message: only the address is masked or hashed (as an email, the form ad
  // platforms match on), so the page, referrer or text stays useful. Unsure of finding them all: the whole value.
  if (matcher === 'email_in_text' && typeof value === 'string') {
    const rewritten = replaceEmbeddedEmails(value, (address) => replace(action, 'email', address, salt))
    if (rewritten !== null) return rewritten
  }
  return replace(action, matcher, typeof value === 'string' ? value : JSON.stringify(value), salt)
}

function replace(action: Exclude<PrivacyAction, 'pass' | 'drop'>, matcher: string, text: string, salt: string): string {
  if (action === 'mask') return MASKED
  return action === 'hash' ? plainHash(matcher, text) : saltedHash(salt, matcher, text)
}

/** Replaces (or removes) the value at a path of the delivered copy; a path filters already removed is skipped. */
function applyAt(root: Record<string, unknown>, parts: string[], change: (value: unknown) => unknown): void {
  let node: unknown = root
  for (let i = 0; i < parts.length - 1; i++) {
    node = Array.isArray(node) ? node[Number(parts[i])] : typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[parts[i]!] : undefined
    if (node === undefined || node === null) return
  }
  const last = parts[parts.length - 1]!
  if (Array.isArray(node)) {
    const index = Number(last)
    if (!(index in node)) return
    const next = change(node[index])
    node[index] = next === DROP ? null : next // an item cannot be removed without shifting its neighbours' meaning
  } else if (typeof node === 'object' && node !== null && Object.prototype.hasOwnProperty.call(node, last)) {
    const object = node as Record<string, unknown>
    const next = change(object[last])
    if (next === DROP) delete object[last]
    else object[last] = next
  }
}
