// A destination's filters, compiled once and applied to each outgoing event the way Segment's destination
// filters work (https://segment.com/docs/connections/destinations/destination-filters/): every enabled
// filter whose FQL matches acts, stage by stage — all samples, then drops, then drop_properties, then
// allow_properties — and within a stage in the order they are listed. A filter with sourceIds acts only
// on events of those sources. The input event is never changed: property filters return a copy that
// shares untouched branches with it.

import { createHash } from 'node:crypto'
import type { DestinationFilter } from '../../../src-shared/api'
import type { SegmentEvent } from '../destinations/driver'
import { evaluateFql, parseFql, parseFqlPath, readPath, type FqlExpression } from './fql'

export type FilterOutcome = { event: SegmentEvent } | { dropped: string }

export interface CompiledFilters {
  /** Enabled filters, in the order they act. */
  readonly count: number
  apply(event: SegmentEvent, sourceId: number): FilterOutcome
}

export interface FilterOptions {
  /** A uniform [0, 1) source for sampling without a path; Math.random unless a test fixes it. */
  random?: () => number
}

type Action = DestinationFilter['action']
type FieldRule = { path: string[]; keys: string[] }
type Compiled = {
  title: string
  condition: FqlExpression
  sourceIds: ReadonlySet<number> | null
  action: Action
  percent: number
  samplePath: string[] | null
  fields: FieldRule[]
}

const STAGES: readonly Action[] = ['sample', 'drop', 'drop_properties', 'allow_properties']

/** Throws an Error naming the filter when one holds bad FQL or a bad path. */
export function compileFilters(filters: readonly DestinationFilter[], options: FilterOptions = {}): CompiledFilters {
  const random = options.random ?? Math.random
  const compiled = filters
    .filter((filter) => filter.enabled !== false)
    .map(compileOne)
    .sort((a, b) => STAGES.indexOf(a.action) - STAGES.indexOf(b.action))
  return {
    count: compiled.length,
    apply(event, sourceId) {
      let current = event
      for (const filter of compiled) {
        if (filter.sourceIds && !filter.sourceIds.has(sourceId)) continue
        let matches: boolean
        try {
          matches = evaluateFql(filter.condition, current)
        } catch {
          // Segment holds an event back when its filter cannot be applied rather than risk leaking it.
          return { dropped: `filter "${filter.title}": could not be evaluated` }
        }
        if (!matches) continue
        switch (filter.action) {
          case 'drop':
            return { dropped: `filter "${filter.title}": drop` }
          case 'sample':
            if (sampleFraction(filter, current, random) >= filter.percent / 100) {
              return { dropped: `filter "${filter.title}": sampled out (keeps ${filter.percent}%)` }
            }
            break
          case 'drop_properties':
            for (const rule of filter.fields) current = rewriteAt(current, rule.path, (object) => withoutKeys(object, rule.keys))
            break
          case 'allow_properties':
            for (const rule of filter.fields) current = rewriteAt(current, rule.path, (object) => onlyKeys(object, rule.keys))
            break
        }
      }
      return { event: current }
    }
  }
}

function compileOne(filter: DestinationFilter): Compiled {
  try {
    const base = { title: filter.title, condition: parseFql(filter.if), sourceIds: filter.sourceIds?.length ? new Set(filter.sourceIds) : null, action: filter.action }
    switch (filter.action) {
      case 'sample':
        return { ...base, percent: filter.percent, samplePath: filter.path ? parseFqlPath(filter.path) : null, fields: [] }
      case 'drop':
        return { ...base, percent: 0, samplePath: null, fields: [] }
      case 'drop_properties':
      case 'allow_properties':
        return {
          ...base,
          percent: 0,
          samplePath: null,
          fields: Object.entries(filter.fields).map(([path, keys]) => ({ path: parseFqlPath(path), keys }))
        }
    }
  } catch (error) {
    throw new Error(`filter "${filter.title}": ${(error as Error).message}`, { cause: error })
  }
}

/** Where this event falls in [0, 1). With a path, a hash of that field's value, so one user (say) is
 * always kept or always dropped; an event without that field falls back to chance rather than putting
 * every such event on the same side. */
function sampleFraction(filter: Compiled, event: SegmentEvent, random: () => number): number {
  if (filter.samplePath) {
    const value = readPath(event, filter.samplePath)
    if (value !== null) {
      try {
        const key = typeof value === 'string' ? `s:${value}` : `j:${JSON.stringify(value)}`
        return createHash('sha256').update(key).digest().readUInt32BE(0) / 2 ** 32
      } catch {
        // A value too deeply nested to serialise: treat it as absent.
      }
    }
  }
  return random()
}

type JsonObject = Record<string, unknown>

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

const own = (object: JsonObject, key: string) => Object.prototype.hasOwnProperty.call(object, key)

/** `event` with the object at `path` replaced by change(object), copying only the objects on the way
 * down; `event` itself when the path does not lead to an object or nothing changes. */
function rewriteAt(event: SegmentEvent, path: readonly string[], change: (object: JsonObject) => JsonObject): SegmentEvent {
  const chain: JsonObject[] = [event]
  for (const segment of path) {
    const parent = chain[chain.length - 1]!
    const child = own(parent, segment) ? parent[segment] : undefined
    if (!isObject(child)) return event
    chain.push(child)
  }
  let replaced = change(chain[chain.length - 1]!)
  if (replaced === chain[chain.length - 1]) return event
  for (let i = path.length - 1; i >= 0; i--) {
    const copy = { ...chain[i]! }
    // defineProperty, so a key named "__proto__" stays a plain key.
    Object.defineProperty(copy, path[i]!, { value: replaced, enumerable: true, writable: true, configurable: true })
    replaced = copy
  }
  return replaced
}

function withoutKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  if (!keys.some((key) => own(object, key))) return object
  const copy = { ...object }
  for (const key of keys) delete copy[key]
  return copy
}

function onlyKeys(object: JsonObject, keys: readonly string[]): JsonObject {
  const kept = Object.keys(object).filter((key) => keys.includes(key))
  if (kept.length === Object.keys(object).length) return object
  return Object.fromEntries(kept.map((key) => [key, object[key]]))
}
