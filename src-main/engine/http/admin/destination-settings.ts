// Validation of destination settings from the admin API, and the masking of secrets on the way out
// (a saved secret is never returned in full; sending the masked value back keeps it).

import type { ActionsSettings, DestinationKind, DestinationSettings, SegmentForwardSettings, WebhookSettings } from '../../../../src-shared/api'
import { WRITE_KEY_PATTERN } from '../../../../src-shared/write-key'
import { ApiError } from '../../errors'
import { MASK, maskSecret } from '../../secrets/mask'
import { maskActionsSettings, validateActionsSettings } from './actions-settings'
import { validateFileSettings } from './file-settings'
import { validateWarehouseSettings } from './warehouse-settings'
import type { WarehouseSettings } from '../../../../src-shared/warehouse'

export { MASK, maskSecret }

export function validateSettings(kind: DestinationKind, raw: unknown, previous?: DestinationSettings): DestinationSettings {
  switch (kind) {
    case 'webhook':
      return validateWebhookSettings(raw, previous as WebhookSettings | undefined)
    case 'segment':
      return validateSegmentSettings(raw, previous as SegmentForwardSettings | undefined)
    case 'actions':
      return validateActionsSettings(raw, previous as ActionsSettings | undefined)
    case 'file':
      return validateFileSettings(raw)
    case 'warehouse':
      return validateWarehouseSettings(raw, previous as WarehouseSettings | undefined)
  }
}

export function validateSegmentSettings(raw: unknown, previous?: SegmentForwardSettings): SegmentForwardSettings {
  const input = objectOf(raw, ['url', 'writeKey', 'batchSize'])
  const settings: SegmentForwardSettings = { url: httpUrl(input.url), writeKey: '' }
  const writeKey = keepMaskedSecret(input.writeKey, previous?.writeKey)
  if (typeof writeKey !== 'string' || !WRITE_KEY_PATTERN.test(writeKey)) invalid('settings.writeKey', 'settings.writeKey must be the receiving source’s write key')
  settings.writeKey = writeKey
  if (input.batchSize !== undefined) settings.batchSize = batchSize(input.batchSize)
  return settings
}

function objectOf(raw: unknown, known: string[]): Record<string, unknown> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('settings', 'settings must be an object')
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !known.includes(k))
  if (unknown.length > 0) invalid(`settings.${unknown[0]}`, `unknown setting "${unknown[0]}"`)
  return input
}

function httpUrl(raw: unknown): string {
  let url: URL
  try {
    url = new URL(String(raw))
  } catch {
    invalid('settings.url', 'settings.url must be an http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid('settings.url', 'settings.url must be an http(s) URL')
  // fetch refuses such URLs, and the credentials would show in the delivery log: use headers instead.
  if (url.username || url.password) invalid('settings.url', 'settings.url must not hold a user name or password; send credentials in settings.headers (e.g. Authorization)')
  return url.href
}

function batchSize(raw: unknown): number {
  if (typeof raw !== 'number' || !Number.isInteger(raw) || raw < 1 || raw > 1000) invalid('settings.batchSize', 'settings.batchSize must be a whole number from 1 to 1000')
  return raw
}

const SENSITIVE_HEADER = /auth|key|token|secret|cookie|signature|password|session|credential/i

/** Headers that frame the request: a configured value would corrupt every delivery. */
const FRAMING_HEADERS = new Set(['host', 'content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'expect', 'content-encoding'])

export function validateWebhookSettings(raw: unknown, previous?: WebhookSettings): WebhookSettings {
  const input = objectOf(raw, ['url', 'headers', 'batch', 'batchSize', 'signingSecret'])
  const settings: WebhookSettings = { url: httpUrl(input.url) }
  if (input.headers !== undefined) {
    if (typeof input.headers !== 'object' || input.headers === null || Array.isArray(input.headers)) invalid('settings.headers', 'settings.headers must be an object of strings')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(input.headers as Record<string, unknown>)) {
      // A header name is a token; a value must not smuggle a second header line.
      if (!/^[!#$%&'*+.^_`|~\w-]{1,100}$/.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 4000) {
        invalid(`settings.headers.${name}`, `header "${name}" must be a valid name with a one-line string value`)
      }
      if (FRAMING_HEADERS.has(name.toLowerCase())) invalid(`settings.headers.${name}`, `header "${name}" is set by Loupe for each request and cannot be configured`)
      headers[name] = keepMaskedSecret(value, previous?.headers?.[name]) as string
      if (headers[name]!.startsWith(MASK)) invalid(`settings.headers.${name}`, `header "${name}": send the value itself (there is no saved one to keep)`)
    }
    settings.headers = headers
  }
  if (input.batch !== undefined) {
    if (typeof input.batch !== 'boolean') invalid('settings.batch', 'settings.batch must be true or false')
    settings.batch = input.batch
  }
  if (input.batchSize !== undefined) settings.batchSize = batchSize(input.batchSize)
  if (input.signingSecret !== undefined && input.signingSecret !== '') {
    if (typeof input.signingSecret !== 'string' || input.signingSecret.length > 500) invalid('settings.signingSecret', 'settings.signingSecret must be a string')
    settings.signingSecret = keepMaskedSecret(input.signingSecret, previous?.signingSecret) as string
  }
  return settings
}

/** Secrets (a webhook's signing secret, a forward's write key) leave the engine masked. */
export function maskSettings(kind: DestinationKind, settings: DestinationSettings): DestinationSettings {
  switch (kind) {
    case 'segment': {
      const segment = settings as SegmentForwardSettings
      return { ...segment, writeKey: maskSecret(segment.writeKey) }
    }
    case 'webhook': {
      const webhook = { ...(settings as WebhookSettings) }
      if (webhook.signingSecret) webhook.signingSecret = maskSecret(webhook.signingSecret)
      // All header values are sealed at rest; those whose name says credential are shown masked too (sending
      // the masked value back keeps them), the rest in clear so the form shows what was configured.
      if (webhook.headers) webhook.headers = Object.fromEntries(Object.entries(webhook.headers).map(([name, value]) => [name, SENSITIVE_HEADER.test(name) ? maskSecret(value) : value]))
      return webhook
    }
    case 'actions':
      return maskActionsSettings(settings as ActionsSettings)
    case 'file':
      return settings
    case 'warehouse': {
      const warehouse = settings as WarehouseSettings
      return warehouse.password ? { ...warehouse, password: maskSecret(warehouse.password) } : warehouse
    }
  }
}


/** A secret sent back masked (unchanged in the form) keeps the saved one. */
export function keepMaskedSecret(input: unknown, previous: string | undefined): unknown {
  return typeof input === 'string' && input.startsWith(MASK) && previous !== undefined ? previous : input
}

export function invalid(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', message, field)
}
