// The engine's write-key rules (store/sources.ts WRITE_KEY_PATTERN, unique keys), checked before
// creating a source so common mistakes get an answer without a failed request. The engine stays the
// authority: its 400/409 messages are shown as well.

import type { Source } from '../../src-shared/api'

const WRITE_KEY = /^[\x21-\x7e]{1,200}$/

export function writeKeyProblem(writeKey: string, sources: readonly Source[]): string | null {
  if (writeKey === '') return null
  if (!WRITE_KEY.test(writeKey)) return 'A write key is 1–200 printable ASCII characters without spaces.'
  const owner = sources.find((s) => s.writeKey === writeKey)
  return owner ? `The write key "${writeKey}" already belongs to ${owner.name}.` : null
}
