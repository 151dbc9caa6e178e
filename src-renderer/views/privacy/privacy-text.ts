// Words for privacy settings, shared by the Privacy screen's tabs.

import type { PrivacyAction } from '../../../src-shared/privacy'

export const ACTION_CHOICES: readonly { value: PrivacyAction; label: string; hint: string }[] = [
  { value: 'pass', label: 'Pass', hint: 'Delivered as sent' },
  { value: 'mask', label: 'Mask (***)', hint: 'Replaced by ***' },
  { value: 'hash', label: 'Hash (SHA-256)', hint: 'SHA-256 of the normalised value (trimmed, lower-cased email; E.164 phone): what ad platforms match on' },
  { value: 'hash_salted', label: 'Hash, salted', hint: 'SHA-256 with this workspace’s salt: pseudonymous, matches nothing outside' },
  { value: 'drop', label: 'Drop field', hint: 'The field is left out' }
]

const ACTION_WORDS: Record<PrivacyAction, string> = { pass: 'passes', mask: 'masked', hash: 'hashed', hash_salted: 'hashed (salted)', drop: 'dropped' }

export function actionWord(action: PrivacyAction): string {
  return ACTION_WORDS[action] ?? action
}

export const KIND_LABELS = { userId: 'userId', anonymousId: 'anonymousId' } as const
export type IdKind = keyof typeof KIND_LABELS
