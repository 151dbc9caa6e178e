// Errors of the destination form by field path, for any input deep in the form to show its own.

import { createContext, useContext } from 'react'
import type { FieldErrors } from './destination-draft'

export const FieldErrorsContext = createContext<FieldErrors>({})

export function useFieldError(path: string): string | undefined {
  return useContext(FieldErrorsContext)[path]
}

export function FieldError({ path }: { path: string }) {
  const message = useFieldError(path)
  if (!message) return null
  return (
    <p className="field-error" role="alert" data-error-for={path}>
      {message}
    </p>
  )
}
