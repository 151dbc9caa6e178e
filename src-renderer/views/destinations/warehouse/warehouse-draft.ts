// The warehouse's schema per source, in the destination form. The generated settings form knows only flat
// fields, so the schema names ride along in the draft's values under `schemas.<sourceId>` (which no field
// uses) and are folded into `settings.schemas` on the way out; their errors use the engine's own path,
// `settings.schemas.<sourceId>`, so a client check and a server refusal land at the same input.

import type { Destination } from '../../../../src-shared/api'
import type { WarehouseSettings } from '../../../../src-shared/warehouse'
import type { DestinationDraft, DraftResult, FieldErrors } from '../destination-draft'
import { valuesToSettings, type FieldValues, type FormField } from '../settings-fields'
import { defaultSchemaName } from './schema-name'

const PREFIX = 'schemas.'

export const schemaValueKey = (sourceId: number): string => `${PREFIX}${sourceId}`
export const schemaPath = (sourceId: number): string => `settings.${PREFIX}${sourceId}`

/** The saved schema names (the engine pins one for every connected source) as form values. */
export function withSavedSchemas(draft: DestinationDraft, destination: Destination): DestinationDraft {
  if (destination.kind !== 'warehouse') return draft
  const schemas = (destination.settings as WarehouseSettings).schemas ?? {}
  const values: FieldValues = { ...draft.values }
  for (const [sourceId, schema] of Object.entries(schemas)) values[`${PREFIX}${sourceId}`] = schema
  return { ...draft, values }
}

/**
 * The schema names typed, by source id. Names of sources no longer connected are kept (the data already in
 * that schema stays where a reconnected source finds it), unless invalid: their input is not shown.
 */
export function schemasOf(values: FieldValues, connected: readonly number[]): { schemas: Record<string, string>; errors: FieldErrors } {
  const schemas: Record<string, string> = {}
  const errors: FieldErrors = {}
  for (const [key, raw] of Object.entries(values)) {
    if (!key.startsWith(PREFIX) || typeof raw !== 'string' || raw.trim() === '') continue
    const sourceId = key.slice(PREFIX.length)
    const name = raw.trim()
    // The engine's rule: a name it would write the same way (so what is typed is what is created).
    const canonical = defaultSchemaName(name)
    if (canonical === name) schemas[sourceId] = name
    else if (connected.includes(Number(sourceId))) errors[`settings.${key}`] = `Schema names are snake_case${canonical ? ` (e.g. "${canonical}")` : ': lowercase letters, digits and _'}.`
  }
  return { schemas, errors }
}

/** The settings the connection test sends: what Save would send. */
export function warehouseSettings(draft: DestinationDraft, fields: readonly FormField[]): { settings: WarehouseSettings; errors?: undefined } | { settings?: undefined; errors: FieldErrors } {
  const values = valuesToSettings(fields, draft.values)
  const schemas = schemasOf(draft.values, draft.sourceIds)
  const errors: FieldErrors = { ...schemas.errors }
  for (const [key, message] of Object.entries(values.errors)) errors[`settings.${key}`] = message
  if (Object.keys(errors).length > 0) return { errors }
  const settings = { ...values.settings } as unknown as WarehouseSettings
  if (Object.keys(schemas.schemas).length > 0) settings.schemas = schemas.schemas
  return { settings }
}

/** draftToRequest's answer with the schema names folded into a warehouse's settings. */
export function withWarehouseSchemas(result: DraftResult, draft: DestinationDraft): DraftResult {
  if (draft.kind !== 'warehouse') return result
  const { schemas, errors } = schemasOf(draft.values, draft.sourceIds)
  if (result.errors || Object.keys(errors).length > 0) return { errors: { ...result.errors, ...errors } }
  if (Object.keys(schemas).length === 0) return result
  return { request: { ...result.request, settings: { ...(result.request.settings as WarehouseSettings), schemas } } }
}

/** The schema inputs the form shows (for placing the engine's errors). */
export function schemaPaths(draft: DestinationDraft): string[] {
  return draft.kind === 'warehouse' ? draft.sourceIds.map(schemaPath) : []
}
