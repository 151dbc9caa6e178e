// Validation of destination settings from the admin API, and the masking of secrets on the way out
// (a saved secret is never returned in full; sending the masked value back keeps it).

import type { WebhookSettings } from '../../../../src-shared/api'
import { ApiError } from '../../errors'

const MASK = '••••'

export function validateWebhookSettings(raw: unknown, previous?: WebhookSettings): WebhookSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) invalid('settings', 'settings must be an object')
  const input = raw as Record<string, unknown>
  const unknown = Object.keys(input).filter((k) => !['url', 'headers', 'batch', 'batchSize', 'signingSecret'].includes(k))
  if (unknown.length > 0) invalid(`settings.${unknown[0]}`, `unknown webhook setting "${unknown[0]}"`)
  let url: URL
  try {
    url = new URL(String(input.url))
  } catch {
    invalid('settings.url', 'settings.url must be an http(s) URL')
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') invalid('settings.url', 'settings.url must be an http(s) URL')
  const settings: WebhookSettings = { url: url.href }
  if (input.headers !== undefined) {
    if (typeof input.headers !== 'object' || input.headers === null || Array.isArray(input.headers)) invalid('settings.headers', 'settings.headers must be an object of strings')
    const headers: Record<string, string> = {}
    for (const [name, value] of Object.entries(input.headers as Record<string, unknown>)) {
      // A header name is a token; a value must not smuggle a second header line.
      if (!/^[!#$%&'*+.^_`|~\w-]{1,100}$/.test(name) || typeof value !== 'string' || /[\r\n\0]/.test(value) || value.length > 4000) {
        invalid(`settings.headers.${name}`, `header "${name}" must be a valid name with a one-line string value`)
      }
      headers[name] = value
    }
    settings.headers = headers
  }
  if (input.batch !== undefined) {
    if (typeof input.batch !== 'boolean') invalid('settings.batch', 'settings.batch must be true or false')
    settings.batch = input.batch
  }
  if (input.batchSize !== undefined) {
    if (typeof input.batchSize !== 'number' || !Number.isInteger(input.batchSize) || input.batchSize < 1 || input.batchSize > 1000) invalid('settings.batchSize', 'settings.batchSize must be a whole number from 1 to 1000')
    settings.batchSize = input.batchSize
  }
  if (input.signingSecret !== undefined && input.signingSecret !== '') {
    if (typeof input.signingSecret !== 'string' || input.signingSecret.length > 500) invalid('settings.signingSecret', 'settings.signingSecret must be a string')
    settings.signingSecret = input.signingSecret.startsWith(MASK) && previous?.signingSecret ? previous.signingSecret : input.signingSecret
  }
  return settings
}

export function maskSettings(settings: WebhookSettings): WebhookSettings {
  return settings.signingSecret ? { ...settings, signingSecret: `${MASK}${settings.signingSecret.slice(-4)}` } : settings
}

function invalid(field: string, message: string): never {
  throw new ApiError(400, 'ERR_ADMIN_INVALID_BODY', message, field)
}
