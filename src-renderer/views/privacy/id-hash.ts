// SHA-256 of a typed id, as the engine stores it for suppressions and deletions (hex of the UTF-8 text):
// lets the screen say "that is not this entry's id" before asking the engine. Needs a secure context —
// the loopback origin Loupe serves from is one.

export async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('')
}

/** The start of a hash, enough to tell entries apart on screen. */
export const shortHash = (hash: string): string => `${hash.slice(0, 12)}…`
