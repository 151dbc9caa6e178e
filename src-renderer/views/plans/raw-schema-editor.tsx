// The raw JSON Schema of one rule, for what the table cannot express. Only a JSON object is handed up;
// anything else stays in the text box with the parser's message.

import { useState } from 'react'
import { FormError } from '../../components/form-error'

interface Props {
  label: string
  schema: Record<string, unknown>
  onChange(schema: Record<string, unknown>): void
  onValidity(valid: boolean): void
}

export function RawSchemaEditor({ label, schema, onChange, onValidity }: Props) {
  const [text, setText] = useState(() => JSON.stringify(schema, null, 2))
  const [error, setError] = useState<string | null>(null)

  const edit = (value: string): void => {
    setText(value)
    let parsed: unknown
    try {
      parsed = JSON.parse(value)
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e))
      onValidity(false)
      return
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
      setError('A rule’s schema must be a JSON object')
      onValidity(false)
      return
    }
    setError(null)
    onValidity(true)
    onChange(parsed as Record<string, unknown>)
  }

  return (
    <div className="raw-schema">
      <textarea className="input code-input" aria-label={label} spellCheck={false} rows={Math.min(30, Math.max(8, text.split('\n').length + 1))} value={text} onChange={(e) => edit(e.target.value)} />
      <FormError message={error} />
    </div>
  )
}
