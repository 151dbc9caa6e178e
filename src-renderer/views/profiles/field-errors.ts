// A refusal of the engine split for a form: on the field it names (`property`, `conditions[1].op`), or
// for the whole form when it names none the form shows.

import { ApiError, errorMessage, messageAfterField } from '../../api/api-error'

export interface FormRefusal {
  field: string | null
  message: string
}

export function refusalOf(error: unknown): FormRefusal {
  if (error instanceof ApiError && error.field) return { field: error.field, message: messageAfterField(error) }
  return { field: null, message: errorMessage(error) }
}

/** The message for a field, or for anything under it (`conditions[1]` covers `conditions[1].value`). */
export function messageFor(refusal: FormRefusal | null, field: string): string | null {
  if (!refusal?.field) return null
  const f = refusal.field
  return f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`) ? refusal.message : null
}
