// Privacy (issue #6): PII detection at ingest, classification, per-destination controls, suppression and
// deletion. The contract between the engine, the renderer and the CLI. Raw values of personal data never
// appear here: findings carry a masked sample only.

/** Segment Privacy Portal's classes: red (restricted), yellow (sensitive), green (fine to flow). */
export type Classification = 'red' | 'yellow' | 'green'

export const CLASSIFICATIONS: readonly Classification[] = ['red', 'yellow', 'green']

/** A built-in matcher's id; custom matchers are `custom:<slug>`. */
export type BuiltInMatcherId =
  | 'email'
  | 'email_in_text'
  | 'phone'
  | 'credit_card'
  | 'iban'
  | 'us_ssn'
  | 'ip_address'
  | 'postal_address'
  | 'passport'
  | 'national_id'
  | 'date_of_birth'
  | 'person_name'
  | 'password'
  | 'secret'
  | 'jwt'
  | 'bearer_token'
  | 'aws_access_key'

export interface MatcherInfo {
  id: string
  name: string
  /** What it looks at: the field's name, its value, or either. */
  matchesOn: 'key' | 'value' | 'key or value'
  defaultClassification: Classification
  /** The classification in force (the default unless changed in the settings). */
  classification: Classification
  custom: boolean
  description: string
}

/** A user's own matcher: a regular expression over field names or string values. */
export interface CustomMatcher {
  /** `custom:<slug>`, made from the name when created. */
  id: string
  name: string
  target: 'key' | 'value'
  /** A JavaScript regular expression source, matched case-insensitively. */
  pattern: string
  classification: Classification
}

/** GET/PUT /api/privacy/settings */
export interface PrivacySettings {
  /** Scan events for personal data at ingest (default true). Off: no new findings, no red blocking. */
  detection?: boolean
  /** Classification per matcher id, where it differs from the default. */
  matcherClassifications: Record<string, Classification>
  /** Classification per field path (`properties.email`, `context.ip`), over the matcher's. */
  fieldClassifications: Record<string, Classification>
  custom: CustomMatcher[]
}

/** One piece of personal data found in an event, at ingest. */
export interface Finding {
  /** JSON pointer into the message, e.g. `/properties/email`. */
  pointer: string
  matcher: string
  /** As classified now (settings may have changed since ingest). */
  classification: Classification
  /** The value masked, e.g. `a•••@example.com`, `•••• 4242`; never the value itself. */
  sample: string
}

/** What a destination receives of each class of personal data (applied when delivering and replaying). */
export type PrivacyAction = 'pass' | 'mask' | 'hash' | 'hash_salted' | 'drop'

export type DestinationPrivacy = Record<Classification, PrivacyAction>

export const DEFAULT_DESTINATION_PRIVACY: DestinationPrivacy = { red: 'pass', yellow: 'pass', green: 'pass' }

/** Per source: events carrying red data are held in quarantine at ingest (released like plan-blocked ones). */
export interface SourcePrivacy {
  blockRed: boolean
}

/** GET /api/privacy/inventory — every field where personal data was seen. */
export interface PiiField {
  sourceId: number
  /** Dotted path with array indexes as `[]`, e.g. `properties.email`, `traits.addresses[].street`. */
  path: string
  matcher: string
  classification: Classification
  count: number
  firstSeen: string
  lastSeen: string
  /** Destinations connected to the source, with what they receive of this field. */
  destinations: { destinationId: number; action: PrivacyAction }[]
  /** New fields wait in the inbox until someone triages them (confirms or reclassifies). */
  triaged: boolean
}

export interface PiiInventory {
  fields: PiiField[]
  /** Fields not triaged yet. */
  inbox: number
}

/** POST /api/privacy/inventory/triage */
export interface TriageRequest {
  sourceId: number
  path: string
  matcher: string
  /** Reclassify this field (a per-field classification); absent: confirm as is. */
  classification?: Classification
}

/** Suppressed users: new events from them are refused at ingest with 403 ERR_SUPPRESSED. */
export interface Suppression {
  kind: 'userId' | 'anonymousId'
  /** The id itself is not kept: its HMAC-SHA-256 keyed with the data dir's salt (hex). */
  idHash: string
  createdAt: string
}

export interface SuppressRequest {
  userId?: string
  anonymousId?: string
}

/** POST /api/privacy/deletions — removes a user's events and everything derived from them. */
export interface DeletionRequest {
  userId?: string
  anonymousId?: string
  /** Must be true: deleting cannot be undone. */
  confirm: boolean
}

/** The audit record of a deletion: no personal data (the id is kept only as a hash). */
export interface Deletion {
  id: number
  kind: 'userId' | 'anonymousId'
  idHash: string
  state: 'running' | 'done' | 'failed'
  requestedAt: string
  finishedAt: string | null
  events: number
  deliverySamples: number
  archiveLines: number
  warehouseRows: number
  error: string | null
}
