// Colours of identifier kinds: fixed for the built-in and default ones, and a stable pick from a palette
// for kinds a merge rule adds, so one kind keeps its colour across pages.

const FIXED: Record<string, string> = {
  user_id: 'var(--t-identify)',
  anonymous_id: 'var(--t-page)',
  email: 'var(--t-screen)',
  device_id: 'var(--t-group)'
}

const PALETTE = ['var(--t-alias)', 'var(--t-track)', 'var(--json-literal)', 'var(--json-number)', 'var(--json-key)']

export function kindColour(kind: string): string {
  const fixed = FIXED[kind]
  if (fixed) return fixed
  let hash = 0
  for (const ch of kind) hash = (hash * 31 + ch.charCodeAt(0)) >>> 0
  return PALETTE[hash % PALETTE.length]!
}
