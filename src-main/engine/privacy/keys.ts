// Fuzzy field-name matching. A key is split into lower-case words (on `_`, `-`, spaces, dots and other
// punctuation, on camelCase and on letter/digit boundaries; number words are dropped), so `user_email`,
// `emailAddress`, `E-Mail`, `EMAIL` and `email2` all read as the words of an email field. Rules then look
// at the key's ending, word-aligned: `billing_city` is a city, `velocity` is not.

/** A field name, read as words. */
export interface NormalisedKey {
  /** Lower-case words, numbers dropped: `addressLine2` → `['address', 'line']`. */
  words: readonly string[]
  /** The words run together: `addressline`. */
  compact: string
}

export function normaliseKey(key: string): NormalisedKey {
  const words: string[] = []
  let word = ''
  let kind = 0 // 0 none, 1 lower, 2 upper, 3 digit
  const flush = (): void => {
    if (word !== '' && kind !== 3) words.push(word.toLowerCase())
    word = ''
  }
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    const k = c >= 97 && c <= 122 ? 1 : c >= 65 && c <= 90 ? 2 : c >= 48 && c <= 57 ? 3 : c > 127 ? 1 : 0
    if (k === 0) {
      flush()
      kind = 0
      continue
    }
    if (word !== '') {
      if (k === 3 ? kind !== 3 : kind === 3) flush()
      else if (k === 2 && kind === 1) flush() // camelCase: userEmail
      else if (k === 1 && kind === 2 && word.length > 1) {
        // An acronym before a word: IPAddress → IP, Address
        const last = word[word.length - 1]!
        word = word.slice(0, -1)
        flush()
        word = last
      }
    }
    word += key[i]
    kind = k
  }
  flush()
  return { words, compact: words.join('') }
}

/**
 * Field names that announce a kind of personal data. Every pattern is written run together (`postalcode`)
 * and so also matches its split spellings (`postal_code`, `postalCode`, `Postal-Code`).
 */
export interface KeyRule {
  /** The key's last words, run together, equal one of these (`shipping_zip_code` ends with `zipcode`). */
  endsWith?: readonly string[]
  /** The key, run together, equals one of these (short or ambiguous words: `tel`, `pin`, `dob`). */
  exactly?: readonly string[]
  /**
   * Suffixes safe to match inside one unsplit word (`useremail`, `customerfirstname`): only compounds no
   * ordinary English word ends with.
   */
  withinWord?: readonly string[]
  /** Only at the top level of a user's traits (identify `traits`, `context.traits`): `name`. */
  exactlyInUserTraits?: readonly string[]
  /** Any of these words anywhere in the key means something else: `hashed_email`, `page_token`. */
  unless?: readonly string[]
  /** What a value under such a key must look like to be reported (non-empty strings or numbers only). */
  accepts: (value: string | number) => boolean
}

/** Where a key sits: directly in a user's traits, or anywhere else. */
export type KeyScope = 'userTraits' | 'other'

export function ruleMatches(rule: KeyRule, key: NormalisedKey, scope: KeyScope): boolean {
  const { words, compact } = key
  if (compact === '') return false
  if (rule.unless) for (const w of words) if (rule.unless.includes(w)) return false
  if (rule.exactly?.includes(compact)) return true
  if (scope === 'userTraits' && rule.exactlyInUserTraits?.includes(compact)) return true
  if (rule.endsWith) {
    let tail = ''
    for (let i = words.length - 1; i >= 0; i--) {
      tail = words[i] + tail
      if (rule.endsWith.includes(tail)) return true
    }
  }
  if (rule.withinWord) for (const s of rule.withinWord) if (compact.endsWith(s)) return true
  return false
}

// Keys whose values are versions or builds: `1.2.3.4` there is not an IP address.
const VERSION_WORDS = new Set(['version', 'versions', 'ver', 'build', 'release', 'sdk', 'firmware', 'fw', 'revision', 'rev', 'semver', 'v'])

export function isVersionKey(key: NormalisedKey): boolean {
  for (const w of key.words) if (VERSION_WORDS.has(w)) return true
  return false
}
