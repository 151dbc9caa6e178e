// PII detection over one event, run at ingest on every message: walks `properties`, `traits` and `context`
// (with `context.traits`; the context fields libraries fill are left to custom matchers), judges each scalar by its key (cached per key string) and its value, and reports
// each field once, under the first matcher that catches it: custom matchers first (they override the
// built-ins), then the built-ins in BUILT_IN_MATCHERS order (red before yellow).
//
// Not scanned: `userId`, `anonymousId`, `groupId`, `previousId` and the other top-level fields. They are
// identifiers the pipeline needs (routing, identity, deletion, suppression), so classifying them as PII
// would only invite masking them and breaking destinations; an email used as a userId is a tracking-plan
// matter, not a field to mask. Booleans and nulls are never personal data by themselves.
//
// Bounds (event data is attacker-controlled): at most 100 findings and 10,000 visited nodes per message,
// JSON pointers at most 10 segments deep, strings over 10 KB judged by their key and read for addresses
// inside them only, 1,000 @-candidates per message, custom value regexes run on strings up to 1,000
// characters only, and custom patterns with nested quantifiers are refused. A scan that stops at a bound says
// so (check()): ingest marks the event, and delivery scans it whole (pii-column.ts).

import safeRegex from 'safe-regex2'
import type { CustomMatcher } from '../../../src-shared/privacy'
import { isVersionKey, normaliseKey, ruleMatches, type KeyRule, type KeyScope } from './keys'
import { maskSample } from './mask'
import { BUILT_IN_MATCHERS, type ValueContext } from './matchers'
import { containsEmail, setEmailCandidateBudget } from './shapes'

export const DETECTION_LIMITS = {
  maxFindings: 100,
  maxNodes: 10_000,
  /** @-signs read as possible addresses inside text, per message (shapes.ts); past them a value with one is flagged. */
  emailCandidatesPerMessage: 1_000,
  /** Segments of a JSON pointer: `/properties/a/b` is 3. */
  maxDepth: 10,
  /** Longer strings are judged by their key, and read only for e-mails inside them. */
  maxValueLength: 10 * 1024,
  /** Longer strings are not run through custom value regexes. */
  maxCustomValueLength: 1_000,
  maxPatternLength: 1_000,
  /** Distinct key strings whose matching is remembered per detector (then the cache starts over). */
  keyCacheSize: 5_000,
  /** Longer keys are matched every time, not cached. */
  maxCachedKeyLength: 200,
  /** Built-in key rules read only this many trailing characters of a key. */
  maxKeyTail: 256
} as const

/** One field holding personal data: where, which matcher, and a masked sample (never the value). */
export interface DetectedField {
  /** RFC 6901 JSON pointer into the message: `/properties/email`, `/context/traits/phone`. */
  pointer: string
  /** A BuiltInMatcherId or a custom matcher's `custom:<slug>`. */
  matcher: string
  sample: string
}

/** What a scan found, and whether it looked at everything (false: it stopped at one of its bounds). */
export interface Detection {
  found: DetectedField[]
  complete: boolean
}

export interface Detector {
  /** `samples: false` leaves `sample` empty (ingest stores no samples: they are masked from the payload when shown). */
  detect(message: Record<string, unknown>, samples?: boolean): DetectedField[]
  /**
   * The scan within DETECTION_LIMITS (ingest), or `whole`: every field, however many findings (delivery, for an
   * event whose ingest scan was cut short; ingest's own nesting limit bounds the walk).
   */
  check(message: Record<string, unknown>, bounds: 'ingest' | 'whole'): Detection
}

/**
 * The bounds of a whole scan: no cap on findings, a depth no stored event reaches (ingest refuses nesting past
 * 64), and a node count only pathological events pass (a 1 MB message of tiny fields has ~100,000): past it
 * the scan says incomplete and delivery withholds the event rather than let unread fields out.
 */
const WHOLE = { maxFindings: Infinity, maxNodes: 200_000, maxDepth: 1_000 }

export interface DetectorSettings {
  custom: readonly CustomMatcher[]
}

/** A custom matcher that cannot be used; `index` is its place in `settings.custom`. */
export class CustomMatcherError extends Error {
  constructor(
    readonly index: number,
    readonly field: 'pattern' | 'target',
    message: string
  ) {
    super(message)
    this.name = 'CustomMatcherError'
  }
}

interface CompiledCustom {
  id: string
  regex: RegExp
}

/** Everything decided by a key alone; computed once per key string. */
interface KeyFacts extends ValueContext {
  /** Per built-in matcher (same index), the key rule this key satisfies; null when none does. */
  rules: (KeyRule | undefined)[] | null
  /** The first custom key matcher this key satisfies. */
  custom: CompiledCustom | null
  /** False for the libraries' own context fields (SPEC_CONTEXT): only custom matchers judge them. */
  builtIns: boolean
}

/** Where a key sits, for its facts: KeyScope, or a SPEC_CONTEXT leaf. */
type FactScope = KeyScope | 'spec' 

const MATCHERS = BUILT_IN_MATCHERS
/** The matchers with a value check, in the same order: all a field under an unremarkable key needs. */
const VALUE_MATCHERS = MATCHERS.filter((m) => m.value !== undefined)
/** VALUE_MATCHERS by the string's first character (ASCII), keeping their order; index 128: any other. */
const VALUE_MATCHERS_BY_FIRST = Array.from({ length: 129 }, (_, code) =>
  VALUE_MATCHERS.filter((m) => m.valueStartsWith === undefined || (code < 128 && m.valueStartsWith.includes(String.fromCharCode(code)))).map((m) => ({
    id: m.id,
    value: m.value!,
    min: m.valueLength?.[0] ?? 0,
    max: m.valueLength?.[1] ?? Infinity
  }))
)

function compileCustom(matchers: readonly CustomMatcher[]): { keys: CompiledCustom[]; values: CompiledCustom[] } {
  const keys: CompiledCustom[] = []
  const values: CompiledCustom[] = []
  matchers.forEach((m, index) => {
    const label = `Custom matcher "${m.name}"`
    if (m.target !== 'key' && m.target !== 'value') throw new CustomMatcherError(index, 'target', `${label}: target must be "key" or "value"`)
    if (typeof m.pattern !== 'string' || m.pattern.length === 0) {
      throw new CustomMatcherError(index, 'pattern', `${label}: the pattern is empty (it would match every field)`)
    }
    if (m.pattern.length > DETECTION_LIMITS.maxPatternLength) {
      throw new CustomMatcherError(index, 'pattern', `${label}: the pattern is longer than ${DETECTION_LIMITS.maxPatternLength} characters`)
    }
    let regex: RegExp
    try {
      regex = new RegExp(m.pattern, 'i')
    } catch (err) {
      throw new CustomMatcherError(index, 'pattern', `${label}: not a valid regular expression (${(err as Error).message})`)
    }
    // Star height > 1 (`(a+)+`) can take exponential time on a crafted value; events are attacker-controlled.
    // safe-regex2 also refuses what its parser cannot read (lookbehind): refused too, as unproven.
    if (!safeRegex(m.pattern, { limit: 50 })) {
      throw new CustomMatcherError(
        index,
        'pattern',
        `${label}: the pattern could take exponential time (nested repetitions like (a+)+, more than 50 repetitions, or lookbehind, which cannot be checked); simplify it`
      )
    }
    if (regex.test('')) throw new CustomMatcherError(index, 'pattern', `${label}: the pattern matches the empty string (it would match every field)`)
    ;(m.target === 'key' ? keys : values).push({ id: m.id, regex })
  })
  return { keys, values }
}

const NOTHING: KeyFacts = { rules: null, custom: null, versionKey: false, builtIns: true }
const SPEC_NOTHING: KeyFacts = { rules: null, custom: null, versionKey: false, builtIns: false }

function escapePointer(segment: string | number): string {
  if (typeof segment === 'number') return String(segment)
  return segment.indexOf('~') === -1 && segment.indexOf('/') === -1 ? segment : segment.replace(/~/g, '~0').replace(/\//g, '~1')
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v)
}

export function compileDetector(settings: DetectorSettings): Detector {
  const custom = compileCustom(settings.custom)
  const caches: Record<FactScope, Map<string, KeyFacts>> = { userTraits: new Map(), other: new Map(), spec: new Map() }

  function factsOf(key: string, scope: FactScope): KeyFacts {
    const cache = caches[scope]
    let facts = cache.get(key)
    if (facts !== undefined) return facts
    facts = computeFacts(key, scope)
    if (key.length <= DETECTION_LIMITS.maxCachedKeyLength) {
      if (cache.size >= DETECTION_LIMITS.keyCacheSize) cache.clear()
      cache.set(key, facts)
    }
    return facts
  }

  function computeFacts(key: string, scope: FactScope): KeyFacts {
    if (scope === 'spec') {
      const hit = key.length <= DETECTION_LIMITS.maxCustomValueLength ? (custom.keys.find((c) => c.regex.test(key)) ?? null) : null
      return hit === null ? SPEC_NOTHING : { ...SPEC_NOTHING, custom: hit }
    }
    // Rules look at a key's last words; a giant key costs no more than its tail.
    const normal = normaliseKey(key.length > DETECTION_LIMITS.maxKeyTail ? key.slice(-DETECTION_LIMITS.maxKeyTail) : key)
    let rules: (KeyRule | undefined)[] | null = null
    for (let i = 0; i < MATCHERS.length; i++) {
      const rule = MATCHERS[i]!.keys?.find((r) => ruleMatches(r, normal, scope))
      if (rule) (rules ??= [])[i] = rule
    }
    let hit: CompiledCustom | null = null
    if (key.length <= DETECTION_LIMITS.maxCustomValueLength) hit = custom.keys.find((c) => c.regex.test(key)) ?? null
    const versionKey = isVersionKey(normal)
    if (rules === null && hit === null && !versionKey) return NOTHING
    return { rules, custom: hit, versionKey, builtIns: true }
  }

  /** The matcher that catches this scalar, if any. */
  const customValues = custom.values
  function judge(value: string | number, facts: KeyFacts): string | null {
    if (facts.custom !== null) return facts.custom.id
    if (typeof value === 'string') {
      if (customValues.length > 0 && value.length <= DETECTION_LIMITS.maxCustomValueLength) {
        for (let i = 0; i < customValues.length; i++) if (customValues[i]!.regex.test(value)) return customValues[i]!.id
      }
      if (!facts.builtIns) return null
      // Most fields match no key rule: then only the value checks run.
      if (facts.rules === null) {
        // Long text is still read for addresses (an indexOf per @-form, candidates bounded): the one personal
        // datum found inside text rather than as a whole value.
        if (value.length > DETECTION_LIMITS.maxValueLength) return containsEmail(value) ? 'email_in_text' : null
        const first = value.charCodeAt(0)
        const candidates = VALUE_MATCHERS_BY_FIRST[first < 128 ? first : 128]!
        const length = value.length
        for (let i = 0; i < candidates.length; i++) {
          const m = candidates[i]!
          if (length >= m.min && length <= m.max && m.value(value, facts)) return m.id
        }
        return null
      }
    } else if (facts.rules === null) return null
    const byValue = typeof value === 'string' && value.length <= DETECTION_LIMITS.maxValueLength
    const rules = facts.rules
    if (rules === null) return null
    for (let i = 0; i < MATCHERS.length; i++) {
      const m = MATCHERS[i]!
      if (byValue && m.value !== undefined && m.value(value as string, facts)) return m.id
      const rule = rules[i]
      if (rule !== undefined && rule.accepts(value)) return m.id
    }
    return typeof value === 'string' && !byValue && containsEmail(value) ? 'email_in_text' : null
  }

  // With custom matchers, every field is judged: a user's pattern may look for anything anywhere.
  // Without custom matchers nothing judges the libraries' own context fields: they are not even visited.
  const scanner: Scanner = { factsOf, judge, hasCustom: custom.keys.length > 0 || customValues.length > 0 }
  return {
    detect: (message, samples = true) => scan(scanner, message, samples, DETECTION_LIMITS).found,
    check: (message, bounds) => scan(scanner, message, false, bounds === 'whole' ? WHOLE : DETECTION_LIMITS)
  }
}

interface Scanner {
  factsOf(key: string, scope: FactScope): KeyFacts
  judge(value: string | number, facts: KeyFacts): string | null
  hasCustom: boolean
}

/**
 * Context fields the Segment spec gives a fixed, impersonal meaning, filled by the libraries themselves: the
 * library, app and OS names and versions, locale, time zone, screen, network, the browser's user agent (a
 * whole field, or the named members of an object field). No built-in matcher can catch anything in them that
 * is not a mistake, and they are in every event, so only custom matchers judge them. A client's own members
 * there (`context.app.user_email`) are judged like any field; so are device (its name is often a person's),
 * location, page, campaign, referrer and traits.
 */
const SPEC_CONTEXT: ReadonlyMap<string, ReadonlySet<string> | 'whole'> = new Map<string, ReadonlySet<string> | 'whole'>([
  ['locale', 'whole'],
  ['timezone', 'whole'],
  ['userAgent', 'whole'],
  ['library', new Set(['name', 'version'])],
  ['app', new Set(['name', 'version', 'build', 'namespace'])],
  ['os', new Set(['name', 'version'])],
  ['screen', new Set(['width', 'height', 'density', 'innerWidth', 'innerHeight'])],
  ['network', new Set(['bluetooth', 'carrier', 'cellular', 'wifi'])],
  [
    'userAgentData',
    new Set(['brands', 'mobile', 'platform', 'platformVersion', 'architecture', 'bitness', 'model', 'uaFullVersion', 'fullVersionList', 'wow64', 'formFactors'])
  ]
])

/** One message's walk: plain functions over this state, so a message costs no closures. */
interface Walk {
  scanner: Scanner
  samples: boolean
  found: DetectedField[]
  path: (string | number)[]
  /** Nodes still to visit before the walk stops (maxNodes of the scan's bounds). */
  budget: number
  maxFindings: number
  maxDepth: number
  /** Cleared when the walk stops at a bound or leaves a subtree unvisited. */
  complete: boolean
}

/**
 * Pointers by path, remembered as a tree of segments: the same fields turn up event after event, and handing
 * out the same string each time lets the caller's own maps find it without hashing a new string. Bounded (keys
 * are attacker-controlled): long segments are not remembered, and the tree starts over when it is full.
 */
interface PointerNode {
  pointer: string
  children: Map<string | number, PointerNode> | null
}

let pointerTree: PointerNode = { pointer: '', children: null }
let pointerNodes = 0

function pointer(path: readonly (string | number)[]): string {
  let node = pointerTree
  for (let i = 0; i < path.length; i++) {
    const segment = path[i]!
    let next = node.children?.get(segment)
    if (next === undefined) {
      if (typeof segment === 'string' && segment.length > DETECTION_LIMITS.maxCachedKeyLength) return pointerFrom(node.pointer, path, i)
      if (pointerNodes >= DETECTION_LIMITS.keyCacheSize) {
        pointerTree = { pointer: '', children: null }
        pointerNodes = 0
        return pointerFrom('', path, 0)
      }
      next = { pointer: `${node.pointer}/${escapePointer(segment)}`, children: null }
      ;(node.children ??= new Map()).set(segment, next)
      pointerNodes++
    }
    node = next
  }
  return node.pointer
}

function pointerFrom(prefix: string, path: readonly (string | number)[], from: number): string {
  let out = prefix
  for (let i = from; i < path.length; i++) out += '/' + escapePointer(path[i]!)
  return out
}

/** Judges one value under its key; false once the walk has hit a bound (the caller stops). */
function visit(w: Walk, value: unknown, facts: KeyFacts): boolean {
  if (--w.budget < 0) {
    w.complete = false
    return false
  }
  if (typeof value === 'string') {
    if (value.length === 0) return true
    return report(w, value, w.scanner.judge(value, facts))
  }
  if (typeof value === 'number') return Number.isFinite(value) ? report(w, value, w.scanner.judge(value, facts)) : true
  if (typeof value !== 'object' || value === null) return true
  if (w.path.length >= w.maxDepth) {
    w.complete = false
    return true
  }
  if (Array.isArray(value)) {
    // Items are judged under their array's key: `emails: ["…"]`.
    for (let i = 0; i < value.length; i++) {
      w.path.push(i)
      const go = visit(w, value[i], facts)
      w.path.pop()
      if (!go) return false
    }
    return true
  }
  return walkObject(w, value as Record<string, unknown>, 'other')
}

function report(w: Walk, value: string | number, matcher: string | null): boolean {
  if (matcher === null) return true
  w.found.push({ pointer: pointer(w.path), matcher, sample: w.samples ? maskSample(matcher, value) : '' })
  if (w.found.length < w.maxFindings) return true
  w.complete = false
  return false
}

function walkObject(w: Walk, obj: Record<string, unknown>, scope: KeyScope): boolean {
  // for…in, not Object.keys: no array per object (parsed JSON has no inherited enumerable keys).
  for (const key in obj) {
    const value = obj[key]
    w.path.push(key)
    // An object's own key says nothing about its members (they have keys of their own): no facts needed.
    const go = visit(w, value, typeof value === 'object' && value !== null && !Array.isArray(value) ? NOTHING : w.scanner.factsOf(key, scope))
    w.path.pop()
    if (!go) return false
  }
  return true
}

/** A spec context object: its spec members judged by custom matchers only (skipped when there are none). */
function walkSpecObject(w: Walk, obj: Record<string, unknown>, members: ReadonlySet<string>): boolean {
  for (const key in obj) {
    const spec = members.has(key)
    if (spec && !w.scanner.hasCustom) continue
    const value = obj[key]
    w.path.push(key)
    const go = visit(w, value, spec ? w.scanner.factsOf(key, 'spec') : typeof value === 'object' && value !== null && !Array.isArray(value) ? NOTHING : w.scanner.factsOf(key, 'other'))
    w.path.pop()
    if (!go) return false
  }
  return true
}

function walkRoot(w: Walk, message: Record<string, unknown>, name: string, scope: KeyScope): boolean {
  const v = message[name]
  if (!isObject(v)) return true
  w.path.push(name)
  const go = walkObject(w, v, scope)
  w.path.pop()
  return go
}

function scan(scanner: Scanner, message: Record<string, unknown>, samples: boolean, limits: { maxFindings: number; maxNodes: number; maxDepth: number }): Detection {
  // The budget is this message's: whatever is left does not carry over to callers outside a scan.
  setEmailCandidateBudget(DETECTION_LIMITS.emailCandidatesPerMessage)
  try {
    return walkMessage(scanner, message, samples, limits)
  } finally {
    setEmailCandidateBudget(Infinity)
  }
}

function walkMessage(scanner: Scanner, message: Record<string, unknown>, samples: boolean, limits: { maxFindings: number; maxNodes: number; maxDepth: number }): Detection {
  const w: Walk = { scanner, samples, found: [], path: [], budget: limits.maxNodes, maxFindings: limits.maxFindings, maxDepth: limits.maxDepth, complete: true }
  // Group calls' traits describe the company: there `name` is its name.
  if (!walkRoot(w, message, 'properties', 'other') || !walkRoot(w, message, 'traits', message.type === 'group' ? 'other' : 'userTraits')) return { found: w.found, complete: w.complete }
  const context = message.context
  if (isObject(context)) {
    w.path.push('context')
    for (const key in context) {
      const v = context[key]
      const spec = SPEC_CONTEXT.get(key)
      if (spec === 'whole' && !scanner.hasCustom) continue
      w.path.push(key)
      const go =
        key === 'traits' && isObject(v)
          ? walkObject(w, v, 'userTraits')
          : spec instanceof Set && isObject(v)
            ? walkSpecObject(w, v, spec)
            : visit(w, v, scanner.factsOf(key, spec === 'whole' ? 'spec' : 'other'))
      w.path.pop()
      if (!go) break
    }
    w.path.pop()
  }
  return { found: w.found, complete: w.complete }
}
