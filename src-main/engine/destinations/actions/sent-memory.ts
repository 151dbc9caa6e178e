// What a send that stopped for a retry had already delivered (one subscription's request went out, a later
// one answered 503), so that the retry of those events does not deliver it twice. Sends run concurrently
// (maxInFlight > 1, replays, test events), so nothing here is one shared "last send": each stopped send
// leaves an entry keyed by the messageIds it covered, a later send uses only the entries whose events it
// carries again (the router's retry holds the same events, possibly with newer ones after them), and an
// entry is forgotten only once a send that used it ends without stopping.

/** Stopped sends remembered at most: the router gives up on a batch after its retry window, never saying so. */
const MAX_ENTRIES = 256

interface Entry {
  /** The messageIds of the stopped send's events. */
  covered: readonly string[]
  /** `subscription:messageId` delivered before it stopped. */
  sent: ReadonlySet<string>
}

export interface Recalled {
  /** Delivered already, by earlier stopped sends of these events: not to be sent again. */
  sent: ReadonlySet<string>
  entries: readonly Entry[]
}

export class SentMemory {
  private entries: Entry[] = []

  /** What stopped sends of (a subset of) these events delivered. */
  recall(messageIds: readonly string[]): Recalled {
    const carried = new Set(messageIds)
    const entries = this.entries.filter((e) => e.covered.every((id) => carried.has(id)))
    const sent = new Set<string>()
    for (const entry of entries) for (const key of entry.sent) sent.add(key)
    return { sent, entries }
  }

  /** The send ended (delivered, or failed for good): what it recalled is settled. */
  forget(recalled: Recalled): void {
    if (recalled.entries.length > 0) this.entries = this.entries.filter((e) => !recalled.entries.includes(e))
  }

  /** The send stopped for a retry: what went out by now (`sent` includes what it recalled) replaces what it recalled. */
  remember(recalled: Recalled, messageIds: readonly string[], sent: ReadonlySet<string>): void {
    this.forget(recalled)
    // Events without messageIds cannot be recognised on the retry; an entry covering none would match any send.
    if (messageIds.length === 0 || sent.size === 0) return
    this.entries.push({ covered: [...messageIds], sent: new Set(sent) })
    if (this.entries.length > MAX_ENTRIES) this.entries.shift()
  }

  get size(): number {
    return this.entries.length
  }
}
