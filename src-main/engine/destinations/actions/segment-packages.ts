// The Segment packages behind Action destinations, loaded on demand with require: actions-core's ESM build
// is broken (extensionless directory imports), and importing @segment/action-destinations' index loads all
// 214 destinations (1–2 s, ~150 MB), so one destination is loaded by its deep path instead.
// The types below are the small part of Segment's API this engine uses.

import { createRequire } from 'node:module'

// Not named `require`: the main bundle already declares one (electron-vite's CJS shim).
const requireCjs = createRequire(import.meta.url)

export type Mapping = Record<string, unknown>
export type SegmentEvent = Record<string, unknown>

export interface RequestOptions {
  agent?: unknown
  timeout?: number | false
  beforeRequest?: ((options: Record<string, unknown>) => unknown)[]
  afterResponse?: ((request: FetchRequest, options: Record<string, unknown>, response: FetchResponse) => unknown)[]
  [key: string]: unknown
}

export interface FetchRequest {
  url: string
  method: string
}

export interface FetchResponse {
  status: number
  headers: { get(name: string): string | null }
  content?: string
}

/** The bundle actions-core hands to `extendRequest` (and to perform). */
export interface RequestContext {
  settings: Record<string, unknown>
  signal?: AbortSignal
}

export interface ActionDefinition {
  title: string
  fields?: Record<string, { type?: string; default?: unknown }>
  performBatch?: unknown
}

export interface DestinationDefinition {
  name: string
  slug?: string
  extendRequest?: (context: RequestContext) => RequestOptions
  actions: Record<string, ActionDefinition>
  authentication?: { scheme?: string }
}

export interface ExecuteInput {
  mapping: Mapping
  settings: Record<string, unknown>
  auth?: Record<string, unknown>
  features?: Record<string, boolean>
  signal?: AbortSignal
}

/** One entry of executeBatch's answer, aligned with the events given. */
export interface MultiStatusEntry {
  status?: number
  errormessage?: string
  errortype?: string
  body?: unknown
}

export interface ActionsDestination {
  actions: Record<string, { removeAllListeners(event: string): void }>
  executeAction(action: string, input: ExecuteInput & { event: SegmentEvent }): Promise<unknown[]>
  executeBatch(action: string, input: ExecuteInput & { events: SegmentEvent[] }): Promise<(MultiStatusEntry | undefined)[]>
}

interface ActionsCore {
  Destination: new (definition: DestinationDefinition) => ActionsDestination
  HTTPError: new (...args: never[]) => Error
}

export interface FqlAst {
  error?: { message: string }
}

interface DestinationSubscriptions {
  parseFql(fql: string): FqlAst
  validate(ast: FqlAst, event: unknown): boolean
}

let core: ActionsCore | null = null
let subscriptions: DestinationSubscriptions | null = null

export function actionsCore(): ActionsCore {
  core ??= requireCjs('@segment/actions-core') as ActionsCore
  return core
}

export function destinationSubscriptions(): DestinationSubscriptions {
  subscriptions ??= requireCjs('@segment/destination-subscriptions') as DestinationSubscriptions
  return subscriptions
}

/** actions-core's ajv setup (coercion, formats), as used at send time, so saved settings pass there too. */
export function validateSchema(value: unknown, schema: Record<string, unknown>): void {
  const { validateSchema: validate } = requireCjs('@segment/actions-core/schema-validation') as { validateSchema(value: unknown, schema: unknown, options: unknown): boolean }
  validate(value, schema, { throwIfInvalid: true, exempt: ['dynamicAuthSettings'] })
}

/** mapping-kit's own check of a mapping (unknown directives, bad shapes); throws an iterable error. */
export function validateMapping(mapping: unknown): void {
  const validate = (requireCjs('@segment/actions-core/mapping-kit/validate') as { default: (mapping: unknown) => void }).default
  validate(mapping)
}

/** One destination's definition, by its directory in @segment/action-destinations (checked against the catalogue). */
export function loadDefinition(slug: string): DestinationDefinition {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug)) throw new Error(`not a destination slug: ${slug}`)
  const module = requireCjs(`@segment/action-destinations/dist/destinations/${slug}`) as { default: DestinationDefinition }
  return module.default
}

export function actionDestinationsVersion(): string {
  return (requireCjs('@segment/action-destinations/package.json') as { version: string }).version
}
