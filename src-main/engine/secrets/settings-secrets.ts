// Sealing and opening the secret fields of a settings object, named by paths such as [['signingSecret']],
// [['writeKey']] or [['settings', 'apiKey']]; `*` stands for every key of an object or element of an array
// (e.g. [['headers', '*']]). Only string values at those paths change; the input is never mutated and parts
// off the paths are shared, not copied.

import type { SecretCache } from './secret-cache'
import { isSealed, type SecretStore } from './secret-store'

export type SecretPath = readonly string[]

export async function sealSettingsSecrets<T>(settings: T, paths: readonly SecretPath[], store: SecretStore, cache?: SecretCache): Promise<T> {
  const jobs: Promise<void>[] = []
  const sealed = mapAtPaths(settings, paths, (value, set) => {
    // Already sealed: an unchanged secret saved again stays as it is. Empty: nothing to hide.
    if (value === '' || isSealed(value)) return
    jobs.push(
      store.seal(value).then((s) => {
        cache?.remember(s, value)
        set(s)
      })
    )
  })
  await Promise.all(jobs)
  return sealed
}

/** The settings with their secrets opened, from the cache (synchronous: load the cache first). */
export function openSettingsSecrets<T>(settings: T, paths: readonly SecretPath[], cache: SecretCache): T {
  return mapAtPaths(settings, paths, (value, set) => {
    if (isSealed(value)) set(cache.reveal(value))
  })
}

/** Every sealed value at the paths, for SecretCache.load. */
export function sealedValues(settings: unknown, paths: readonly SecretPath[]): string[] {
  const found: string[] = []
  mapAtPaths(settings, paths, (value) => {
    if (isSealed(value)) found.push(value)
  })
  return found
}

/**
 * Copies `root` along the paths and calls `visit` for each string found at one; `set` (now or later, before
 * the caller uses the result) replaces it in the copy.
 */
function mapAtPaths<T>(root: T, paths: readonly SecretPath[], visit: Visit): T {
  const holder = { root: root as unknown }
  const copied = new WeakSet<object>()
  for (const path of paths) walk(holder, 'root', path, visit, copied)
  return holder.root as T
}

type Container = Record<string, unknown> | unknown[]

type Visit = (value: string, set: (next: string) => void) => void

function walk(parent: Container, key: string | number, path: SecretPath, visit: Visit, copied: WeakSet<object>): void {
  const value = (parent as Record<string | number, unknown>)[key]
  if (path.length === 0) {
    if (typeof value === 'string') visit(value, (next) => ((parent as Record<string | number, unknown>)[key] = next))
    return
  }
  if (typeof value !== 'object' || value === null) return
  const copy = ownCopy(parent, key, value as Container, copied)
  const [head, ...rest] = path as [string, ...string[]]
  if (head === '*') {
    const keys = Array.isArray(copy) ? copy.map((_, i) => i) : Object.keys(copy)
    for (const k of keys) walk(copy, k, rest, visit, copied)
  } else if (!Array.isArray(copy) && Object.prototype.hasOwnProperty.call(copy, head)) {
    walk(copy, head, rest, visit, copied)
  }
}

/** The container at parent[key], copied once per mapAtPaths call so the caller's object stays untouched. */
function ownCopy(parent: Container, key: string | number, value: Container, copied: WeakSet<object>): Container {
  if (copied.has(value)) return value
  const copy = Array.isArray(value) ? [...value] : { ...value }
  copied.add(copy)
  ;(parent as Record<string | number, unknown>)[key] = copy
  return copy
}
