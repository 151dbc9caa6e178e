#!/usr/bin/env node
// Writes the catalogue of Segment's open-source Action destinations (@segment/action-destinations) as one
// JSON file: `node scripts/build-actions-catalogue.mjs <out.json>`. Importing the package index costs 1–2 s
// and ~150 MB (it loads all 214 destinations), so the engine never does it: `npm run build` runs this once
// (out/main/actions-catalogue.json), and an engine without a build runs it in a child process
// (src-main/engine/destinations/actions/catalogue.ts). Plain Node ESM so it needs no TypeScript loader.

import { mkdirSync, renameSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, resolve } from 'node:path'
import { categoriesOf, OTHER } from './actions-categories.mjs'

// Bump when the output's shape changes: the engine's temp-dir cache is keyed by it.
export const CATALOGUE_FORMAT = 2

const require = createRequire(import.meta.url)
// actions-core's ESM build is broken (extensionless directory imports); its CJS build works.
const core = require('@segment/actions-core')
const { manifest } = require('@segment/action-destinations')
const packageVersion = require('@segment/action-destinations/package.json').version

function unavailableReason(slug, definition) {
  if (slug === 'segment') return "Segment's own destination: it returns payloads to Segment's pipeline instead of sending them."
  if (definition.audienceConfig) return 'An Engage audience destination: it needs audiences created and synced by Segment Engage.'
  const scheme = definition.authentication?.scheme
  if (scheme === 'oauth2' || scheme === 'oauth-managed') return "Signs in with OAuth through Segment's own OAuth app, which a local install cannot use."
  return null
}

function choicesOf(choices) {
  if (!Array.isArray(choices)) return undefined
  return choices.map((c) => (typeof c === 'object' && c !== null ? { label: String(c.label ?? c.value), value: c.value } : { label: String(c), value: c }))
}

function fieldOf(key, field) {
  const out = {
    key,
    label: field.label ?? key,
    description: field.description ?? '',
    type: field.type ?? 'string',
    required: field.required === true
  }
  if (field.default !== undefined) out.default = field.default
  const choices = choicesOf(field.choices)
  if (choices) out.choices = choices
  if (field.multiple) out.multiple = true
  if (field.format) out.format = field.format
  if (field.unsafe_hidden) out.hidden = true
  if (field.dynamic) out.dynamic = true
  if (field.properties && typeof field.properties === 'object') out.properties = Object.entries(field.properties).map(([k, f]) => fieldOf(k, f))
  return out
}

/** Names an event's `integrations` object may use for it: Segment shows "Actions Amplitude" as "Amplitude". */
function integrationNames(slug, definition) {
  const names = new Set([definition.name, slug])
  if (definition.slug) names.add(definition.slug)
  const plain = definition.name
    .replace(/^Actions\s+/i, '')
    .replace(/\s+Cloud Mode\s+\(Actions\)$/i, '')
    .replace(/\s+Cloud\s+\(Actions\)$/i, '')
    .replace(/\s*\(Actions\)$/i, '')
    .replace(/\s+Cloud$/i, '')
    .trim()
  if (plain) names.add(plain)
  return [...names]
}

/**
 * Loupe delivers at least once (a batch is sent again after a retryable failure), so where an action has a
 * dedupe key the vendor honours but Segment leaves unmapped (Amplitude's `insert_id`), it gets the messageId.
 */
function withDedupeKey(action, mapping) {
  if (!action.fields?.insert_id || mapping.insert_id !== undefined) return mapping
  return { ...mapping, insert_id: { '@path': '$.messageId' } }
}

function entryOf(id, slug, definition) {
  const destination = new core.Destination(definition)
  const actions = Object.entries(definition.actions)
    .filter(([, action]) => !action.hidden)
    .map(([key, action]) => ({
      key,
      title: action.title ?? key,
      description: action.description ?? '',
      defaultSubscription: action.defaultSubscription ?? null,
      fields: Object.entries(action.fields ?? {}).map(([k, f]) => fieldOf(k, f)),
      defaultMapping: withDedupeKey(action, core.defaultValues(action.fields ?? {})),
      batching: typeof action.performBatch === 'function'
    }))
  const actionKeys = new Set(actions.map((a) => a.key))
  // 'specificEvent' presets belong to Engage journeys; presets of browser-only actions (Amplitude's session
  // tracking) name an action the cloud definition lacks.
  const presetSubscriptions = (definition.presets ?? [])
    .filter((p) => p.type === 'automatic' && typeof p.subscribe === 'string' && actionKeys.has(p.partnerAction))
    .map((p) => ({ name: p.name, subscribe: p.subscribe, partnerAction: p.partnerAction, mapping: withDedupeKey(definition.actions[p.partnerAction], p.mapping ?? {}), enabled: true }))
  const settingsSchema = destination.settingsSchema ?? core.fieldsToJsonSchema({})
  return {
    id,
    slug,
    segmentSlug: definition.slug ?? slug,
    name: definition.name,
    description: definition.description ?? '',
    categories: categoriesOf(slug, definition.name, definition.description ?? ''),
    authScheme: definition.authentication?.scheme ?? 'none',
    actionCount: actions.length,
    presetCount: presetSubscriptions.length,
    unavailable: unavailableReason(slug, definition),
    integrationNames: integrationNames(slug, definition),
    settingsSchema,
    settings: Object.entries(definition.authentication?.fields ?? {}).map(([k, f]) => fieldOf(k, f)),
    actions,
    presetSubscriptions
  }
}

export function buildCatalogue() {
  const destinations = []
  for (const [id, { definition, directory }] of Object.entries(manifest)) {
    destinations.push(entryOf(id, directory ?? definition.slug, definition))
  }
  destinations.sort((a, b) => a.name.localeCompare(b.name))
  return { format: CATALOGUE_FORMAT, packageVersion, destinations }
}

const out = process.argv[2]
if (!out) {
  process.stderr.write('usage: build-actions-catalogue.mjs <out.json>\n')
  process.exit(2)
}
const path = resolve(out)
mkdirSync(dirname(path), { recursive: true })
// Written under a temporary name and renamed, so a reader (or a second generator) never sees half a file.
const temporary = `${path}.${process.pid}.tmp`
const catalogue = buildCatalogue()
writeFileSync(temporary, JSON.stringify(catalogue))
renameSync(temporary, path)
// Kept small by scripts/actions-categories.mjs: a jump after a package upgrade means its table needs words.
const uncategorized = catalogue.destinations.filter((d) => d.categories.includes(OTHER))
process.stdout.write(`actions catalogue: ${catalogue.destinations.length} destinations, ${uncategorized.length} uncategorized (${OTHER}): ${uncategorized.map((d) => d.slug).join(', ')}\n`)
