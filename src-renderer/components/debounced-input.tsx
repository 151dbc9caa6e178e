// A text filter that applies 300 ms after typing stops (or at once on Enter), so a query — and for
// Live, a reconnect — is not fired per keystroke. Follows the outside value when it changes (a reload
// from the URL, a "clear filters").

import { useEffect, useRef, useState } from 'react'

export const DEBOUNCE_MS = 300

export interface DebouncedInputProps {
  value: string
  onChange(value: string): void
  placeholder: string
  label: string
  name: string
  className?: string
}

export function DebouncedInput({ value, onChange, placeholder, label, name, className = '' }: DebouncedInputProps) {
  const [text, setText] = useState(value)
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null)
  const latest = useRef(onChange)
  latest.current = onChange

  // Keep what is being typed ("answer " before "to") unless the value really changed from outside.
  useEffect(() => setText((current) => (current.trim() === value ? current : value)), [value])
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), [])

  const apply = (next: string): void => {
    if (timer.current) clearTimeout(timer.current)
    timer.current = null
    if (next.trim() !== value) latest.current(next.trim())
  }

  return (
    <input
      type="search"
      name={name}
      className={`input ${className}`}
      aria-label={label}
      placeholder={placeholder}
      value={text}
      spellCheck={false}
      autoComplete="off"
      onChange={(event) => {
        const next = event.target.value
        setText(next)
        if (timer.current) clearTimeout(timer.current)
        timer.current = setTimeout(() => apply(next), DEBOUNCE_MS)
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply(text)
      }}
    />
  )
}
