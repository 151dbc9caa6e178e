// Settings forms are generated, not hand-written: the Action catalogue describes each destination's
// settings (a CatalogueField list, or JSON Schema), and the built-in kinds are described the same way,
// so one form renders them all. Values live in the form as text (or a boolean) and become typed
// settings only on save, where each problem is reported at its field.

import type { CatalogueField } from '../../../src-shared/api'

export type FieldInput = 'text' | 'password' | 'textarea' | 'boolean' | 'number' | 'select' | 'list' | 'json' | 'headers'

export interface FormField {
  key: string
  label: string
  description: string
  input: FieldInput
  required: boolean
  integer?: boolean
  default?: unknown
  choices?: { label: string; value: string | number | boolean }[]
  placeholder?: string
}

export type FieldValue = string | boolean
export type FieldValues = Record<string, FieldValue>

/** Fields Segment hides in its own UI stay out of the form too (the engine keeps their defaults). */
export function fieldsFromCatalogue(fields: readonly CatalogueField[]): FormField[] {
  return fields.filter((f) => !f.hidden).map((f) => ({
    key: f.key,
    label: f.label || f.key,
    description: f.dynamic ? `${f.description} (Segment loads the choices from the vendor; type the value.)`.trim() : f.description,
    input: f.format === 'password' ? 'password' : inputOf(f.type, Boolean(f.choices?.length) && !f.dynamic, Boolean(f.multiple)),
    required: f.required,
    integer: f.type === 'integer' || undefined,
    default: f.default,
    choices: f.choices
  }))
}

function inputOf(type: string, hasChoices: boolean, multiple: boolean): FieldInput {
  if (hasChoices && !multiple) return 'select'
  if (multiple) return 'list'
  switch (type) {
    case 'password':
      return 'password'
    case 'boolean':
      return 'boolean'
    case 'number':
    case 'integer':
      return 'number'
    case 'text':
      return 'textarea'
    case 'object':
      return 'json'
    default:
      return 'text'
  }
}

/** The JSON Schema (draft-07) form of a settings object, for catalogue entries without a field list. */
export function fieldsFromJsonSchema(schema: Record<string, unknown>): FormField[] {
  const properties = (schema.properties ?? {}) as Record<string, Record<string, unknown>>
  const required = new Set(Array.isArray(schema.required) ? (schema.required as string[]) : [])
  return Object.entries(properties).map(([key, prop]) => {
    const type = Array.isArray(prop.type) ? String(prop.type.find((t) => t !== 'null')) : String(prop.type ?? 'string')
    const choices = Array.isArray(prop.enum) ? (prop.enum as (string | number | boolean)[]).map((v) => ({ label: String(v), value: v })) : undefined
    const secret = prop.format === 'password' || prop.writeOnly === true
    return {
      key,
      label: typeof prop.title === 'string' ? prop.title : key,
      description: typeof prop.description === 'string' ? prop.description : '',
      input: secret ? 'password' : inputOf(type === 'array' ? 'string' : type, Boolean(choices), type === 'array'),
      required: required.has(key),
      integer: type === 'integer' || undefined,
      default: prop.default,
      choices
    }
  })
}

export function initialValues(fields: readonly FormField[], settings: Record<string, unknown> = {}): FieldValues {
  const values: FieldValues = {}
  for (const field of fields) {
    const value = field.key in settings ? settings[field.key] : field.default
    values[field.key] = toFormValue(field, value)
  }
  return values
}

function toFormValue(field: FormField, value: unknown): FieldValue {
  if (field.input === 'boolean') return value === true
  if (value === undefined || value === null) return ''
  if (field.input === 'list') return Array.isArray(value) ? value.map(String).join('\n') : String(value)
  if (field.input === 'json') return JSON.stringify(value, null, 2)
  if (field.input === 'headers' && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([name, v]) => `${name}: ${String(v)}`)
      .join('\n')
  }
  return typeof value === 'object' ? JSON.stringify(value) : String(value)
}

export interface SettingsResult {
  settings: Record<string, unknown>
  /** Field key → message. */
  errors: Record<string, string>
}

export function valuesToSettings(fields: readonly FormField[], values: FieldValues): SettingsResult {
  const settings: Record<string, unknown> = {}
  const errors: Record<string, string> = {}
  for (const field of fields) {
    const raw = values[field.key]
    if (field.input === 'boolean') {
      settings[field.key] = raw === true
      continue
    }
    const text = typeof raw === 'string' ? raw.trim() : ''
    if (text === '') {
      if (field.required) errors[field.key] = `${field.label} is required.`
      continue
    }
    const parsed = parseValue(field, text)
    if ('error' in parsed) errors[field.key] = parsed.error
    else settings[field.key] = parsed.value
  }
  return { settings, errors }
}

function parseValue(field: FormField, text: string): { value: unknown } | { error: string } {
  switch (field.input) {
    case 'number': {
      const n = Number(text)
      if (!Number.isFinite(n)) return { error: `${field.label} must be a number.` }
      if (field.integer && !Number.isInteger(n)) return { error: `${field.label} must be a whole number.` }
      return { value: n }
    }
    case 'select': {
      const choice = field.choices?.find((c) => String(c.value) === text)
      return choice ? { value: choice.value } : { error: `${field.label}: choose one of the options.` }
    }
    case 'list':
      return { value: text.split(/\n|,/).map((s) => s.trim()).filter(Boolean) }
    case 'json':
      try {
        return { value: JSON.parse(text) as unknown }
      } catch (e) {
        return { error: `${field.label} is not valid JSON: ${(e as Error).message}` }
      }
    case 'headers':
      return parseHeaders(text, field.label)
    default:
      return { value: text }
  }
}

function parseHeaders(text: string, label: string): { value: Record<string, string> } | { error: string } {
  const headers: Record<string, string> = {}
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue
    const colon = line.indexOf(':')
    if (colon <= 0) return { error: `${label}: write one "Name: value" per line ("${line.trim().slice(0, 40)}" has no name).` }
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim()
  }
  return { value: headers }
}
