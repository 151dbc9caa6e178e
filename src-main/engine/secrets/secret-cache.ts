// Opened secrets for synchronous readers: the routing code builds drivers synchronously, so whoever loads
// a destination opens its sealed settings first (load), and the worker then reads them (reveal). Plain
// secrets stay in this process's memory only, never in the database or a log.

import { isSealed, SecretError, type SecretStore } from './secret-store'

export class SecretCache {
  private readonly opened = new Map<string, string>()
  private readonly failed = new Map<string, string>()

  constructor(private readonly store: SecretStore) {}

  /**
   * Opens every sealed value not yet known. Never rejects: a secret that cannot be opened (key lost,
   * value altered) is remembered with its reason, and reveal() throws that reason for it alone.
   */
  async load(sealed: Iterable<string>): Promise<void> {
    const todo = [...new Set(sealed)].filter((s) => isSealed(s) && !this.opened.has(s))
    await Promise.all(
      todo.map(async (s) => {
        try {
          this.remember(s, await this.store.open(s))
        } catch (error) {
          this.failed.set(s, error instanceof Error ? error.message : String(error))
        }
      })
    )
  }

  /** The plain value of a sealed one already loaded (or remembered); a value that is not sealed is returned as is. */
  reveal(sealed: string): string {
    if (!isSealed(sealed)) return sealed
    const plain = this.opened.get(sealed)
    if (plain !== undefined) return plain
    throw new SecretError(this.failed.get(sealed) ?? 'a secret was used before it was opened (SecretCache.load)')
  }

  /** What was just sealed need not be opened again. */
  remember(sealed: string, plain: string): void {
    this.opened.set(sealed, plain)
    this.failed.delete(sealed)
  }

  /** Drops secrets no longer referenced (a destination changed or deleted). */
  retain(stillUsed: Iterable<string>): void {
    const keep = new Set(stillUsed)
    for (const s of this.opened.keys()) if (!keep.has(s)) this.opened.delete(s)
    for (const s of this.failed.keys()) if (!keep.has(s)) this.failed.delete(s)
  }
}
