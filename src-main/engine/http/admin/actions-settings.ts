// Settings of an Action destination from the admin API: a catalogue slug, the destination's own settings
// (checked against its JSON Schema with actions-core's ajv, as at send time) and its subscriptions
// (presets when none are given). Password-type settings leave the engine masked; a masked value sent
// back keeps the saved secret.

import type { ActionsSettings, ActionSubscription, CatalogueDestination } from '../../../../src-shared/api'
import { catalogue, isSecretSetting } from '../../destinations/actions/catalogue'
import { validateMapping, validateSchema } from '../../destinations/actions/segment-packages'
import { validateSubscriptionFql } from '../../routing/fql'
import { invalid, keepMaskedSecret, MASK, maskSecret } from './destination-settings'

const MAX_SUBSCRIPTIONS = 50
const MAX_FQL = 10_000

export function validateActionsSettings(raw: unknown, previous?: ActionsSettings): ActionsSettings {
  const input = objectOf(raw, 'settings', ['slug', 'settings', 'subscriptions'])
  if (typeof input.slug !== 'string' || input.slug === '') invalid('settings.slug', 'settings.slug must name a destination of the catalogue (GET /api/catalogue)')
  const destination = catalogue().find(input.slug)
  if (!destination) invalid('settings.slug', `settings.slug: no Action destination "${input.slug.slice(0, 100)}" in the catalogue`)
  if (destination.unavailable) invalid('settings.slug', `${destination.name} cannot run in Loupe: ${destination.unavailable}`)
  const sameDestination = previous?.slug === destination.slug ? previous : undefined
  return {
    slug: destination.slug,
    settings: destinationSettings(destination, input.settings ?? {}, sameDestination?.settings),
    subscriptions: input.subscriptions === undefined ? destination.presetSubscriptions.map((p) => ({ ...p, enabled: true })) : subscriptions(destination, input.subscriptions)
  }
}

/** Password-type settings are shown as the mask and their last four characters. */
export function maskActionsSettings(settings: ActionsSettings): ActionsSettings {
  const destination = catalogue().find(settings.slug)
  const secret = (key: string): boolean => (destination ? destination.settings.some((f) => f.key === key && isSecretSetting(f)) : true)
  const masked: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(settings.settings)) masked[key] = typeof value === 'string' && secret(key) ? maskSecret(value) : value
  return { ...settings, settings: masked }
}

function destinationSettings(destination: CatalogueDestination, raw: unknown, previous: Record<string, unknown> | undefined): Record<string, unknown> {
  const input = objectOf(raw, 'settings.settings', destination.settings.map((f) => f.key))
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(input)) {
    const field = destination.settings.find((f) => f.key === key)!
    if (!isSecretSetting(field)) {
      out[key] = value
      continue
    }
    const kept = keepMaskedSecret(value, typeof previous?.[key] === 'string' ? (previous[key] as string) : undefined)
    if (typeof kept === 'string' && kept.startsWith(MASK)) invalid(`settings.settings.${key}`, `settings.settings.${key}: send the secret itself (there is no saved one to keep)`)
    out[key] = kept
  }
  try {
    // Coerces like the send-time check does (e.g. a number where a string is expected), so what is saved passes there.
    validateSchema(out, destination.settingsSchema)
  } catch (error) {
    const { field, message } = firstAjvError(error)
    invalid(field ? `settings.settings.${field}` : 'settings.settings', `settings.settings${field ? `.${field}` : ''}: ${message}`)
  }
  return out
}

function subscriptions(destination: CatalogueDestination, raw: unknown): ActionSubscription[] {
  if (!Array.isArray(raw)) invalid('settings.subscriptions', 'settings.subscriptions must be an array')
  if (raw.length > MAX_SUBSCRIPTIONS) invalid('settings.subscriptions', `settings.subscriptions: at most ${MAX_SUBSCRIPTIONS}`)
  return raw.map((item, i) => subscription(destination, item, `settings.subscriptions[${i}]`))
}

function subscription(destination: CatalogueDestination, raw: unknown, path: string): ActionSubscription {
  const input = objectOf(raw, path, ['name', 'subscribe', 'partnerAction', 'mapping', 'enabled'])
  const action = destination.actions.find((a) => a.key === input.partnerAction)
  if (typeof input.partnerAction !== 'string' || !action) {
    invalid(`${path}.partnerAction`, `${path}.partnerAction must be one of ${destination.name}'s actions: ${destination.actions.map((a) => a.key).join(', ')}`)
  }
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.trim() === '' || input.name.length > 200)) invalid(`${path}.name`, `${path}.name must be a non-empty string of at most 200 characters`)
  if (typeof input.subscribe !== 'string' || input.subscribe.trim() === '' || input.subscribe.length > MAX_FQL) invalid(`${path}.subscribe`, `${path}.subscribe must be an FQL condition such as type = "track"`)
  const fqlError = shippedBySegment(destination, input.subscribe) ? null : validateSubscriptionFql(input.subscribe)
  if (fqlError) invalid(`${path}.subscribe`, `${path}.subscribe is not valid FQL: ${fqlError}`)
  if (input.enabled !== undefined && typeof input.enabled !== 'boolean') invalid(`${path}.enabled`, `${path}.enabled must be true or false`)
  const mapping = input.mapping === undefined ? action.defaultMapping : input.mapping
  if (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping)) invalid(`${path}.mapping`, `${path}.mapping must be an object`)
  try {
    validateMapping(mapping)
  } catch (error) {
    const first = [...(iterable(error) ?? [error])][0] as Error
    invalid(`${path}.mapping`, `${path}.mapping: ${first?.message ?? String(error)}`)
  }
  return { name: typeof input.name === 'string' ? input.name.trim() : action.title, subscribe: input.subscribe, partnerAction: action.key, mapping: mapping as Record<string, unknown>, enabled: input.enabled ?? true }
}

/**
 * A condition the destination itself ships (a preset or an action's default subscription) is kept as Segment
 * wrote it: 25 of the 870 in this catalogue are not strict FQL (`AND`, `==`, unquoted values) and run the
 * way Segment's runtime reads them. Conditions users write get the strict check.
 */
function shippedBySegment(destination: CatalogueDestination, subscribe: string): boolean {
  return destination.presetSubscriptions.some((p) => p.subscribe === subscribe) || destination.actions.some((a) => a.defaultSubscription === subscribe)
}

function objectOf(raw: unknown, path: string, known: string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid(path, `${path} must be an object`)
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).find((k) => !known.includes(k))
  if (unknown !== undefined) invalid(`${path}.${unknown}`, `${path}: unknown setting "${unknown}"${path === 'settings.settings' ? ` (known: ${known.join(', ') || 'none'})` : ''}`)
  return input
}

/** ajv-human-errors' AggregateAjvError is iterable; each error has a JSON pointer and a sentence. */
function firstAjvError(error: unknown): { field: string | null; message: string } {
  const first = ([...(iterable(error) ?? [])][0] ?? error) as { pointer?: string; message?: string }
  const message = first.message ?? String(error)
  const missing = /required field '([^']+)'/.exec(message)?.[1]
  const pointer = (first.pointer ?? '').replace(/^\//, '').replace(/\//g, '.')
  return { field: missing ? [pointer, missing].filter(Boolean).join('.') : pointer || null, message }
}

function iterable(value: unknown): Iterable<unknown> | null {
  return value !== null && typeof value === 'object' && Symbol.iterator in value ? (value as Iterable<unknown>) : null
}
