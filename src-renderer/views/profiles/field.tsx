// A labelled form field with help or the engine's refusal under it. Only the label names the input (help
// and refusal describe it), so "Event" is not also the name of a field whose help mentions events.

import type { ReactNode } from 'react'

export function Field({ label, error, id, className = '', children, help }: { label: string; error: string | null; id: string; className?: string; children: ReactNode; help?: string }) {
  return (
    <div className={`form-row ${className}`}>
      <label className="form-label" htmlFor={id}>
        {label}
      </label>
      {children}
      {help && !error && (
        <span className="field-help" id={`${id}-help`}>
          {help}
        </span>
      )}
      {error && (
        <span className="field-error" id={`${id}-error`} role="alert">
          {error}
        </span>
      )}
    </div>
  )
}

/** The props tying an input to its Field: its id, and its refusal when there is one. */
export const fieldProps = (id: string, error: string | null, help = false) => ({
  id,
  ...(error ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : help ? { 'aria-describedby': `${id}-help` } : {})
})
