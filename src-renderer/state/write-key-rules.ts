// The engine's write-key rules (src-shared/write-key.ts, unique keys), checked before
// creating a source so common mistakes get an answer without a failed request. The engine stays the
// authority: its 400/409 messages are shown as well.

import type { Source } from '../../src-shared/api'
import { WRITE_KEY_PATTERN, WRITE_KEY_RULE } from '../../src-shared/write-key'

export function writeKeyProblem(writeKey: string, sources: readonly Source[]): string | null {
  if (writeKey === '') return null
  if (!WRITE_KEY_PATTERN.test(writeKey)) return WRITE_KEY_RULE
  const owner = sources.find((s) => s.writeKey === writeKey)
  return owner ? `The write key "${writeKey}" already belongs to ${owner.name}.` : null
}
